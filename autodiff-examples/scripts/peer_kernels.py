"""Which kernels the peers run in this process, for the comparison scripts to print.

OpenBLAS picks its kernels by CPU model when it loads. A build older than the CPU does
not know it and falls back: Debian 12's OpenBLAS 0.3.21 runs its 256-bit Haswell kernels
on AMD Zen 5, half of that core's multiply-add width, and a comparison against it
flatters us. OPENBLAS_CORETYPE=SkylakeX makes it take its AVX-512 kernels. PyTorch 1.13's
own kernels (elementwise ops, softmax, the optimizer's updates) run at AVX2 by default even
on a CPU with AVX-512; ATEN_CPU_CAPABILITY=avx512 makes them take their AVX-512 versions.
The scripts pass both variables on to the processes they start.
"""
import ctypes
import os


def _loaded_openblas():
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
    return sorted(paths)


def aten_capability(torch):
    """The instruction set PyTorch's own CPU kernels dispatch to, as torch reports it."""
    return torch.__config__.show().split("CPU capability usage: ")[1].split()[0]


def describe():
    """One line: the OpenBLAS core in use, or why it is not known."""
    for path in _loaded_openblas():
        try:
            corename = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        core = corename().decode()
        line = f"OpenBLAS kernels: {core} ({os.path.basename(path)})"
        if _cpu_has_avx512() and core in ("Haswell", "Zen", "Sandybridge"):
            line += "; this CPU has AVX-512 that these kernels leave unused (try OPENBLAS_CORETYPE=SkylakeX)"
        return line
    return "OpenBLAS kernels: no OpenBLAS loaded (install libopenblas0-pthread)"


def _cpu_has_avx512():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("flags"):
                return "avx512f" in line.split()
    return False
