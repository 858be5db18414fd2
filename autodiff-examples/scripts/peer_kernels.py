"""Which kernels the peers run in this process, for the comparison scripts to print.

OpenBLAS picks its kernels by CPU model when it loads. A build older than the CPU does
not know it and falls back: Debian 12's OpenBLAS 0.3.21 runs its 256-bit Haswell kernels
on AMD Zen 5, half of that core's multiply-add width, and a comparison against it
flatters us. OPENBLAS_CORETYPE=SkylakeX makes it take its AVX-512 kernels. PyTorch 1.13's
own kernels (elementwise ops, softmax, the optimizer's updates) run at AVX2 by default even
on a CPU with AVX-512; ATEN_CPU_CAPABILITY=avx512 makes them take their AVX-512 versions.
The scripts pass both variables on to the processes they start.

glibc's malloc hands large freed blocks back to the kernel: above a threshold (128 KB at
first) a block is mapped for itself and unmapped when freed, and a free top of the heap is
trimmed. A peer that allocates a tensor per op then faults its pages in again on every
call, and on a virtual machine a page fault can cost microseconds (12-13 us per 4 KB page
on the Zen 5 machine on 2026-12-02, `cpu_floors.c`): PyTorch's optimizer step spent most
of its time so, with 1.37 million faults in one `torch_compare.py --only optimizer` run
against 42 thousand when the memory is kept. `peer_env` sets glibc's tunables so that
blocks up to 32 MB come from the heap and the heap is not trimmed, as a long-running
training process's allocator would keep them; autodiff allocates next to nothing per step.
"""
import ctypes
import os


# glibc's largest mmap threshold on 64 bits is 32 MB; a larger value is ignored
KEEP_FREED_MEMORY = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296"


def peer_env(threads):
    """The environment of a peer's process with `threads` threads: OpenBLAS, OpenMP and MKL
    sized to it (OpenMP's workers sleeping when idle above one thread), and glibc's malloc
    keeping freed memory (see the module comment)."""
    threads = str(threads)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
    if threads != "1":
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    tunables = env.get("GLIBC_TUNABLES")
    env["GLIBC_TUNABLES"] = f"{tunables}:{KEEP_FREED_MEMORY}" if tunables else KEEP_FREED_MEMORY
    return env


def malloc_setting():
    """One line: whether this process's malloc keeps freed memory."""
    if KEEP_FREED_MEMORY in os.environ.get("GLIBC_TUNABLES", ""):
        return "malloc keeps freed memory (GLIBC_TUNABLES)"
    return "malloc returns freed memory to the kernel (glibc's default)"


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
