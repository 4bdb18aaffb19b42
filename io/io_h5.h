/* io_h5.h -- the HDF5 files that pass between tsukit's layers.
 *
 * Only io/ knows HDF5.  Every file written here carries the attributes
 * tsukit_version, created_utc, command and seed; every dataset carries a
 * `unit` attribute ("V", "s", "1" for dimensionless ...).
 *
 * Objects carry no HDF5 timestamps and created_utc honours
 * SOURCE_DATE_EPOCH, so a rerun with the same seed can be byte-identical.
 *
 * Files are written to "PATH.partial" and renamed to PATH by
 * io_file_commit(), so a file under its final name is always complete; an
 * aborted or crashed run leaves only the .partial file.  Files opened with
 * io_file_open_rw() are modified in place and flushed at each
 * io_file_flush() (for checkpointed sweeps).
 */
#ifndef IO_H5_H
#define IO_H5_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

typedef struct io_prov {
  const char *command;  /* command line that makes the file */
  uint64_t seed;        /* random seed of the run (0 if none) */
} io_prov;

typedef struct io_file io_file;

enum { IO_CREATE_KEEP = 0, IO_CREATE_OVERWRITE = 1 };

/* Start a new file at path (written as path.partial until committed).
 * Fails with TK_EEXIST if path exists and mode is IO_CREATE_KEEP. */
int io_file_create(const char *path, const io_prov *prov, int mode,
                   io_file **out, tk_err *err);
/* Close and rename to the final name.  Frees f whatever the result. */
int io_file_commit(io_file *f, tk_err *err);
/* Close and delete the partial file.  NULL is fine. */
void io_file_abort(io_file *f);

int io_file_open_read(const char *path, io_file **out, tk_err *err);
/* Open an existing file for in-place updates (resume, checkpoints). */
int io_file_open_rw(const char *path, io_file **out, tk_err *err);
/* Flush HDF5's caches to the file and fsync it (so a flushed state
 * survives a kill of the process and, with fsync, a power loss). */
int io_file_flush(io_file *f, tk_err *err);
/* Close a file opened for reading or in place.  NULL is fine. */
void io_file_close(io_file *f);
const char *io_file_path(const io_file *f);

/* Groups, created with their parents ("/traces/run0"). */
int io_group(io_file *f, const char *path, tk_err *err);
int io_exists(io_file *f, const char *path);

/* Datasets (row-major, rank 1..4); parents are created.  Replaces an
 * existing dataset of the same name. */
int io_write_f64(io_file *f, const char *path, int rank, const size_t *dims,
                 const double *data, const char *unit, tk_err *err);
int io_write_f32(io_file *f, const char *path, int rank, const size_t *dims,
                 const float *data, const char *unit, tk_err *err);
int io_write_i32(io_file *f, const char *path, int rank, const size_t *dims,
                 const int32_t *data, const char *unit, tk_err *err);
int io_write_i8(io_file *f, const char *path, int rank, const size_t *dims,
                const int8_t *data, const char *unit, tk_err *err);
int io_write_u8(io_file *f, const char *path, int rank, const size_t *dims,
                const uint8_t *data, const char *unit, tk_err *err);

/* Overwrite n elements at flat (row-major) offset `first` of an EXISTING
 * dataset of any rank, in place: raw data only, no metadata changes (the
 * checkpoint writes of a sweep).  TK_ERANGE past the end. */
int io_update_f64(io_file *f, const char *path, size_t first, size_t n,
                  const double *data, tk_err *err);
int io_update_u8(io_file *f, const char *path, size_t first, size_t n,
                 const uint8_t *data, tk_err *err);

/* The most bytes one dataset read takes (2 GiB, in memory and in the
 * file): a larger dataset is refused with TK_ERANGE before anything is
 * allocated. */
#define IO_READ_MAX_BYTES ((size_t)1 << 31)

/* Read a dataset of any numeric type as double / as int32 / as int8 into
 * a new array (free()); dims receives up to 4 extents.  A dataset that
 * is not of integers or floats of 1..16 bytes, or that stores fewer bytes
 * than its extents claim (none, if chunked), is TK_EFORMAT (a corrupt
 * file). */
int io_read_f64(io_file *f, const char *path, double **data, int *rank,
                size_t dims[4], tk_err *err);
int io_read_i32(io_file *f, const char *path, int32_t **data, int *rank,
                size_t dims[4], tk_err *err);
int io_read_i8(io_file *f, const char *path, int8_t **data, int *rank,
               size_t dims[4], tk_err *err);
int io_read_f32(io_file *f, const char *path, float **data, int *rank,
                size_t dims[4], tk_err *err);

/* Attributes on a group or dataset ("/" is the file). */
int io_attr_str(io_file *f, const char *obj, const char *name,
                const char *value, tk_err *err);
int io_attr_f64(io_file *f, const char *obj, const char *name, double value,
                tk_err *err);
int io_attr_i64(io_file *f, const char *obj, const char *name, int64_t value,
                tk_err *err);
/* Read attributes; a string is copied into buf (truncated to size). */
int io_get_attr_str(io_file *f, const char *obj, const char *name, char *buf,
                    size_t size, tk_err *err);
int io_get_attr_f64(io_file *f, const char *obj, const char *name,
                    double *value, tk_err *err);
int io_get_attr_i64(io_file *f, const char *obj, const char *name,
                    int64_t *value, tk_err *err);

/* Names of the members of a group, in creation-independent (name)
 * order; free with io_names_free(). */
int io_list(io_file *f, const char *group, char ***names, size_t *n,
            tk_err *err);
void io_names_free(char **names, size_t n);

#endif
