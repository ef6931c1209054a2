// A header-only module: LLVMFuzzerMutate is defined by libFuzzer, linked by -sanitize=fuzzer.
#include "CLibFuzzer.h"
