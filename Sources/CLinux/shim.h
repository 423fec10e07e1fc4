// Linux calls that Swift's Glibc module leaves out (they need _GNU_SOURCE). Declared here, resolved from libc.
#include <stdint.h>

/// Starts write-back of a file range without waiting (sync_file_range(2) with SYNC_FILE_RANGE_WRITE).
int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags);
#define PGV_SYNC_FILE_RANGE_WRITE 2
