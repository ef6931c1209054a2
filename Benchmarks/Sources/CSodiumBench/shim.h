// libsodium for the benchmarks' direct-call baselines. The library's own CSodium target is
// internal to the root package; the benchmarks link libsodium themselves.
#include <sodium.h>
