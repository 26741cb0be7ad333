/* Test-only shim for running huibao.exe under Wine 8 (make test-windows): Rust's standard
 * library imports ProcessPrng from bcryptprimitives.dll, which Wine 8 lacks. This DLL, placed
 * next to the .exe under Wine only, provides it through SystemFunction036 (RtlGenRandom).
 * Real Windows 10 and later have ProcessPrng and never see this file; it is not shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
