#include <zlib.h>
// deflateInit2/inflateInit2 are function-like macros, which Swift cannot import.
static inline int czlib_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 9, Z_DEFAULT_STRATEGY);
}
static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
