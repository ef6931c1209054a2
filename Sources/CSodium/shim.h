// libsodium, imported as a system library. Dialogue uses only functions that
// libsodium 1.0.18 provides (Debian 12's libsodium-dev).
#include <sodium.h>
