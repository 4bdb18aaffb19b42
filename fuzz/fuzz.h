/* fuzz.h -- what every harness in fuzz/ shares (issue 18).
 *
 * A harness fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput: it feeds the
 * bytes to one parser of outside input and checks the contract every
 * reader of tsukit keeps -- on success a self-consistent result, on
 * failure a status and a one-line message naming the problem, never a
 * crash, a hang, a leak or undefined behaviour (the sanitizers report
 * those).  A broken contract calls fuzz_fail (abort: a finding).
 *
 * The same harness is linked with libFuzzer (--enable-fuzz, fuzz/run.sh)
 * and with fuzz/replay.c, a plain main that replays corpus files, for
 * make check.
 */
#ifndef TK_FUZZ_H
#define TK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bytes as file "input" of the private folder below: the path the
 * path-based readers open; valid until the next call.  NULL if it cannot
 * be written (the harness skips).  Not a memfd: HDF5 resolves
 * /proc/self/fd/N to the memfd's name and cannot open it; the folder is
 * on /dev/shm (memory) unless $TMPDIR says otherwise. */
const char *fuzz_memfile(const uint8_t *data, size_t size);

/* The bytes as file `name` in a private folder made once per process
 * (under $TMPDIR, else /dev/shm, else /tmp; removed at exit), for
 * readers that resolve other paths relative to the file's folder
 * (.include).  At most 4 names per process. */
const char *fuzz_dirfile(const uint8_t *data, size_t size, const char *name);

/* The bytes as a NUL-terminated string (malloc'ed; NULL on no memory). */
char *fuzz_string(const uint8_t *data, size_t size);

/* Check a failure's report: rc != 0, err->status == rc, a non-empty
 * message of one line.  Aborts with `what` otherwise. */
void fuzz_check_error(int rc, const tk_err *err, const char *what);

/* Report a broken contract and abort (a finding). */
void fuzz_fail(const char *what, const char *detail)
    __attribute__((noreturn));

#endif
