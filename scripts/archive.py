"""Deterministic archives for make dist: entries sorted by name, one fixed time, root as owner,
0755 for folders and programs and 0644 for the rest.

    python3 scripts/archive.py tar|zip <base folder> <folder inside it> <archive>
"""
import gzip
import io
import os
import sys
import tarfile
import zipfile

EPOCH = 946684800  # 2000-01-01 00:00:00 UTC
PROGRAMS = {"huibao", "huibao.exe"}


def entries(base, top):
    found = []
    for root, dirs, files in os.walk(os.path.join(base, top)):
        for name in dirs + files:
            path = os.path.join(root, name)
            found.append(os.path.relpath(path, base))
    found.append(top)
    return sorted(found)


def mode(path, name):
    if os.path.isdir(path) or os.path.basename(name) in PROGRAMS or name.endswith(".sh"):
        return 0o755
    return 0o644


def make_tar(base, top, out):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in entries(base, top):
            path = os.path.join(base, name)
            info = tar.gettarinfo(path, arcname=name)
            info.mtime = EPOCH
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mode = mode(path, name)
            if info.isfile():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    with open(out, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
            gz.write(raw.getvalue())


def make_zip(base, top, out):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in entries(base, top):
            path = os.path.join(base, name)
            arcname = name.replace(os.sep, "/") + ("/" if os.path.isdir(path) else "")
            info = zipfile.ZipInfo(arcname, date_time=(2000, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = ((0o40000 if os.path.isdir(path) else 0o100000) | mode(path, name)) << 16
            # UTF-8 names, flagged so Windows' Explorer shows the Chinese file names.
            info.flag_bits |= 0x800
            if os.path.isdir(path):
                z.writestr(info, b"")
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(path, "rb") as f:
                    z.writestr(info, f.read())


if __name__ == "__main__":
    kind, base, top, out = sys.argv[1:5]
    {"tar": make_tar, "zip": make_zip}[kind](base, top, out)
