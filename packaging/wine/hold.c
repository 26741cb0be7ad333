/* Test-only helper for make test-windows: holds a file open the way Word does while a clerk
 * reads a report (read access, sharing read only), until the file named second exists. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
    if (argc < 3) {
        return 2;
    }
    HANDLE file = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        return 1;
    }
    HANDLE ready = CreateFileW(L"held.flag", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(ready);
    while (GetFileAttributesW(argv[2]) == INVALID_FILE_ATTRIBUTES) {
        Sleep(100);
    }
    CloseHandle(file);
    return 0;
}
