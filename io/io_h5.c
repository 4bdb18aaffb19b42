/* io_h5.c -- HDF5 files with provenance, written atomically.
 *
 * Workload: a few datasets per file (traces of 1e5-1e7 points, sweep
 * tables, model weights); no chunk tuning beyond contiguous layout.
 * HDF5's automatic error printing is switched off: failures come back as
 * tk_err with the path that failed.
 */
#include "config.h"

#include "io/io_h5.h"
#include "io/io_h5_impl.h"

#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void h5_quiet(void)
{
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

const char *io_file_path(const io_file *f)
{
  return f ? f->path : "";
}

static int write_provenance(io_file *f, const io_prov *prov, tk_err *err)
{
  char when[64];
  /* SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes the
   * creation time, so two runs with the same seed give identical files. */
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t now = sde != NULL && *sde != '\0' ? (time_t)strtoll(sde, NULL, 10)
                                          : time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  TK_TRY(io_attr_str(f, "/", "tsukit_version", PACKAGE_VERSION, err));
  TK_TRY(io_attr_str(f, "/", "created_utc", when, err));
  TK_TRY(io_attr_str(f, "/", "command",
                     prov && prov->command ? prov->command : "", err));
  TK_TRY(io_attr_i64(f, "/", "seed", prov ? (int64_t)prov->seed : 0, err));
  return TK_OK;
}

int io_file_create(const char *path, const io_prov *prov, int mode,
                   io_file **out, tk_err *err)
{
  h5_quiet();
  *out = NULL;
  if (path == NULL || *path == '\0')
    return TK_FAIL(err, TK_EINVAL, "no output file name given");
  if (strlen(path) >= sizeof ((io_file *)0)->path)
    return TK_FAIL(err, TK_EINVAL, "output file name too long");
  struct stat st;
  if (mode == IO_CREATE_KEEP && stat(path, &st) == 0)
    return TK_FAIL(err, TK_EEXIST,
                   "%s already exists (use --force to overwrite it)", path);
  io_file *f = calloc(1, sizeof *f);
  if (f == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  snprintf(f->path, sizeof f->path, "%s", path);
  snprintf(f->tmp_path, sizeof f->tmp_path, "%s.partial", path);
  f->fid = H5Fcreate(f->tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f->fid < 0) {
    free(f);
    return TK_FAIL(err, TK_EIO, "cannot create %s.partial (does the folder exist and is it writable?)", path);
  }
  f->writing_partial = 1;
  int rc = write_provenance(f, prov, err);
  if (rc != 0) {
    io_file_abort(f);
    return rc;
  }
  *out = f;
  return TK_OK;
}

int io_file_commit(io_file *f, tk_err *err)
{
  if (f == NULL)
    return TK_FAIL(err, TK_EINVAL, "no file to commit");
  herr_t hr = H5Fclose(f->fid);
  f->fid = -1;
  int rc = TK_OK;
  if (hr < 0)
    rc = TK_FAIL(err, TK_EIO, "closing %s failed", f->tmp_path);
  else if (f->writing_partial && rename(f->tmp_path, f->path) != 0)
    rc = TK_FAIL(err, TK_EIO, "cannot rename %s to %s", f->tmp_path, f->path);
  if (rc != 0 && f->writing_partial)
    unlink(f->tmp_path);
  free(f);
  return rc;
}

void io_file_abort(io_file *f)
{
  if (f == NULL)
    return;
  if (f->fid >= 0)
    H5Fclose(f->fid);
  if (f->writing_partial)
    unlink(f->tmp_path);
  free(f);
}

static int open_existing(const char *path, unsigned flags, io_file **out,
                         tk_err *err)
{
  h5_quiet();
  *out = NULL;
  struct stat st;
  if (path == NULL || stat(path, &st) != 0)
    return TK_FAIL(err, TK_ENOTFOUND, "%s: no such file", path ? path : "");
  if (H5Fis_hdf5(path) <= 0)
    return TK_FAIL(err, TK_EFORMAT, "%s is not an HDF5 file (corrupt or truncated?)", path);
  io_file *f = calloc(1, sizeof *f);
  if (f == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  snprintf(f->path, sizeof f->path, "%s", path);
  f->fid = H5Fopen(path, flags, H5P_DEFAULT);
  if (f->fid < 0) {
    free(f);
    return TK_FAIL(err, TK_EFORMAT, "cannot open %s as HDF5", path);
  }
  *out = f;
  return TK_OK;
}

int io_file_open_read(const char *path, io_file **out, tk_err *err)
{
  return open_existing(path, H5F_ACC_RDONLY, out, err);
}

int io_file_open_rw(const char *path, io_file **out, tk_err *err)
{
  return open_existing(path, H5F_ACC_RDWR, out, err);
}

int io_file_flush(io_file *f, tk_err *err)
{
  if (H5Fflush(f->fid, H5F_SCOPE_GLOBAL) < 0)
    return TK_FAIL(err, TK_EIO, "flushing %s failed", f->path);
  /* fsync through a second descriptor: Linux syncs the file's pages
   * whichever descriptor wrote them. */
  const char *p = f->writing_partial ? f->tmp_path : f->path;
  int fd = open(p, O_RDONLY);
  if (fd >= 0) {
    int r = fsync(fd);
    close(fd);
    if (r != 0)
      return TK_FAIL(err, TK_EIO, "fsync of %s failed", p);
  }
  return TK_OK;
}

void io_file_close(io_file *f)
{
  if (f == NULL)
    return;
  if (f->fid >= 0)
    H5Fclose(f->fid);
  free(f);
}

int io_exists(io_file *f, const char *path)
{
  if (strcmp(path, "/") == 0)
    return 1;
  /* Check every prefix: H5Lexists fails on a missing intermediate. */
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; ; p++) {
    if (*p == '/' || *p == '\0') {
      char c = *p;
      *p = '\0';
      if (H5Lexists(f->fid, buf, H5P_DEFAULT) <= 0)
        return 0;
      if (c == '\0')
        return 1;
      *p = c;
    }
  }
}

int io_group(io_file *f, const char *path, tk_err *err)
{
  char buf[1024];
  if (strlen(path) >= sizeof buf)
    return TK_FAIL(err, TK_EINVAL, "HDF5 path too long: %s", path);
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; ; p++) {
    if (*p == '/' || *p == '\0') {
      char c = *p;
      *p = '\0';
      if (buf[0] != '\0' && strcmp(buf, "/") != 0 &&
          H5Lexists(f->fid, buf, H5P_DEFAULT) <= 0) {
        /* no object timestamps: the same run gives the same bytes */
        hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
        H5Pset_obj_track_times(gcpl, 0);
        hid_t g = H5Gcreate2(f->fid, buf, H5P_DEFAULT, gcpl, H5P_DEFAULT);
        H5Pclose(gcpl);
        if (g < 0)
          return TK_FAIL(err, TK_EIO, "%s: cannot create group %s", f->path, buf);
        H5Gclose(g);
      }
      if (c == '\0')
        break;
      *p = c;
    }
  }
  return TK_OK;
}

static int parent_group(io_file *f, const char *path, tk_err *err)
{
  const char *slash = strrchr(path, '/');
  if (slash == NULL || slash == path)
    return TK_OK;
  char buf[1024];
  size_t n = (size_t)(slash - path);
  if (n >= sizeof buf)
    return TK_FAIL(err, TK_EINVAL, "HDF5 path too long: %s", path);
  memcpy(buf, path, n);
  buf[n] = '\0';
  return io_group(f, buf, err);
}

static int write_any(io_file *f, const char *path, int rank,
                     const size_t *dims, hid_t type, const void *data,
                     const char *unit, tk_err *err)
{
  if (rank < 1 || rank > 4)
    return TK_FAIL(err, TK_EINVAL, "dataset %s: rank %d not in 1..4", path, rank);
  TK_TRY(parent_group(f, path, err));
  if (io_exists(f, path))
    H5Ldelete(f->fid, path, H5P_DEFAULT);
  hsize_t hd[4];
  for (int i = 0; i < rank; i++)
    hd[i] = (hsize_t)dims[i];
  hid_t space = H5Screate_simple(rank, hd, NULL);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_obj_track_times(dcpl, 0);
  hid_t ds = H5Dcreate2(f->fid, path, type, space, H5P_DEFAULT, dcpl,
                        H5P_DEFAULT);
  H5Pclose(dcpl);
  int rc = TK_OK;
  if (ds < 0)
    rc = TK_FAIL(err, TK_EIO, "%s: cannot create dataset %s", f->path, path);
  else if (H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    rc = TK_FAIL(err, TK_EIO, "%s: cannot write dataset %s (disk full?)",
                 f->path, path);
  if (ds >= 0)
    H5Dclose(ds);
  H5Sclose(space);
  if (rc == TK_OK && unit != NULL)
    rc = io_attr_str(f, path, "unit", unit, err);
  return rc;
}

int io_write_f64(io_file *f, const char *path, int rank, const size_t *dims,
                 const double *data, const char *unit, tk_err *err)
{
  return write_any(f, path, rank, dims, H5T_NATIVE_DOUBLE, data, unit, err);
}

int io_write_f32(io_file *f, const char *path, int rank, const size_t *dims,
                 const float *data, const char *unit, tk_err *err)
{
  return write_any(f, path, rank, dims, H5T_NATIVE_FLOAT, data, unit, err);
}

int io_write_i32(io_file *f, const char *path, int rank, const size_t *dims,
                 const int32_t *data, const char *unit, tk_err *err)
{
  return write_any(f, path, rank, dims, H5T_NATIVE_INT32, data, unit, err);
}

int io_write_i8(io_file *f, const char *path, int rank, const size_t *dims,
                const int8_t *data, const char *unit, tk_err *err)
{
  return write_any(f, path, rank, dims, H5T_NATIVE_INT8, data, unit, err);
}

int io_write_u8(io_file *f, const char *path, int rank, const size_t *dims,
                const uint8_t *data, const char *unit, tk_err *err)
{
  return write_any(f, path, rank, dims, H5T_NATIVE_UINT8, data, unit, err);
}

static int update_any(io_file *f, const char *path, size_t first, size_t n,
                      hid_t type, const void *data, tk_err *err)
{
  if (n == 0)
    return TK_OK;
  if (!io_exists(f, path))
    return TK_FAIL(err, TK_ENOTFOUND, "%s: dataset %s not found", f->path, path);
  hid_t ds = H5Dopen2(f->fid, path, H5P_DEFAULT);
  if (ds < 0)
    return TK_FAIL(err, TK_EFORMAT, "%s: %s is not a dataset", f->path, path);
  hid_t space = H5Dget_space(ds);
  int r = H5Sget_simple_extent_ndims(space);
  hsize_t hd[4] = {1, 1, 1, 1};
  int rc = TK_OK;
  hsize_t *coord = NULL;
  if (r < 1 || r > 4) {
    rc = TK_FAIL(err, TK_EFORMAT, "%s: dataset %s has rank %d", f->path, path, r);
  } else {
    H5Sget_simple_extent_dims(space, hd, NULL);
    size_t total = 1;
    for (int i = 0; i < r; i++)
      total *= (size_t)hd[i];
    if (first > total || n > total - first)
      rc = TK_FAIL(err, TK_ERANGE, "%s: elements %zu..%zu are past the end "
                   "of %s (%zu)", f->path, first, first + n - 1, path, total);
    else if ((coord = malloc(n * (size_t)r * sizeof *coord)) == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "%s: out of memory", f->path);
  }
  if (rc == TK_OK) {
    for (size_t k = 0; k < n; k++) {
      size_t lin = first + k;
      for (int i = r - 1; i >= 0; i--) {
        coord[k * (size_t)r + (size_t)i] = (hsize_t)(lin % hd[i]);
        lin /= hd[i];
      }
    }
    hsize_t hn = (hsize_t)n;
    hid_t mem = H5Screate_simple(1, &hn, NULL);
    if (H5Sselect_elements(space, H5S_SELECT_SET, n, coord) < 0 ||
        H5Dwrite(ds, type, mem, space, H5P_DEFAULT, data) < 0)
      rc = TK_FAIL(err, TK_EIO, "%s: cannot update %s (disk full?)", f->path,
                   path);
    H5Sclose(mem);
  }
  free(coord);
  H5Sclose(space);
  H5Dclose(ds);
  return rc;
}

int io_update_f64(io_file *f, const char *path, size_t first, size_t n,
                  const double *data, tk_err *err)
{
  return update_any(f, path, first, n, H5T_NATIVE_DOUBLE, data, err);
}

int io_update_u8(io_file *f, const char *path, size_t first, size_t n,
                 const uint8_t *data, tk_err *err)
{
  return update_any(f, path, first, n, H5T_NATIVE_UINT8, data, err);
}

/* The bytes a dataset of extent hd[0..r) and element size fsize claims,
 * saturating at the largest hsize_t (a corrupt extent must not wrap). */
static hsize_t claim_bytes(const hsize_t *hd, int r, size_t fsize)
{
  hsize_t b = fsize, max = (hsize_t)-1;
  for (int i = 0; i < r; i++) {
    if (hd[i] == 0)
      return 0;
    b = b > max / hd[i] ? max : b * hd[i];
  }
  return b;
}

/* The bit layout of a file's number type fits the type: precision and
 * offset inside its bytes and, for a float, sign, exponent and mantissa
 * inside the precision, each field at most 64 bits.  HDF5 1.10.8 converts
 * through 64-bit stack words without checking a stored type's fields: a
 * corrupt exponent or mantissa size smashed its stack in H5T__bit_get_d
 * (found by fuzz_h5_trace in the fifth campaign).  Also used for
 * attributes (io_h5_attr.c). */
int io__number_bits_ok(hid_t t, size_t size, H5T_class_t cls)
{
  size_t prec = H5Tget_precision(t);
  int off = H5Tget_offset(t);
  if (prec < 1 || off < 0 || size > 16 || (size_t)off + prec > 8 * size)
    return 0;
  if (cls != H5T_FLOAT)
    return 1;
  size_t spos, epos, esize, mpos, msize;
  if (H5Tget_fields(t, &spos, &epos, &esize, &mpos, &msize) < 0)
    return 0;
  return spos < prec && esize >= 1 && esize <= 64 && epos + esize <= prec &&
         msize >= 1 && msize <= 64 && mpos + msize <= prec;
}

static int read_any(io_file *f, const char *path, hid_t type, size_t elsize,
                    void **data, int *rank, size_t dims[4], tk_err *err)
{
  *data = NULL;
  if (!io_exists(f, path))
    return TK_FAIL(err, TK_ENOTFOUND, "%s: dataset %s not found", f->path, path);
  hid_t ds = H5Dopen2(f->fid, path, H5P_DEFAULT);
  if (ds < 0)
    return TK_FAIL(err, TK_EFORMAT, "%s: %s is not a dataset", f->path, path);
  hid_t space = H5Dget_space(ds);
  int r = H5Sget_simple_extent_ndims(space);
  hsize_t hd[4] = {1, 1, 1, 1};
  int rc = TK_OK;
  if (r < 0 || r > 4) {
    rc = TK_FAIL(err, TK_EFORMAT, "%s: dataset %s has rank %d (want 0..4)",
                 f->path, path, r);
  } else {
    H5Sget_simple_extent_dims(space, hd, NULL);
    size_t total = 1;
    int too_big = 0;
    for (int i = 0; i < r; i++) {
      dims[i] = (size_t)hd[i];
      if (hd[i] != 0 && total > IO_READ_MAX_BYTES / hd[i])
        too_big = 1;
      else
        total *= (size_t)hd[i];
    }
    for (int i = r; i < 4; i++)
      dims[i] = 1;
    *rank = r;
    /* Checked before any memory is taken: the read's size, and that the
     * dataset stores every element it claims (all of its bytes unless it
     * is chunked, where compression may shrink them, but never none): a
     * corrupt extent would otherwise allocate gigabytes and read fill
     * values for minutes, and HDF5 1.10.8 crashes reading some of them. */
    hid_t ftype = H5Dget_type(ds);
    size_t fsize = ftype >= 0 ? H5Tget_size(ftype) : 0;
    H5T_class_t fclass = ftype >= 0 ? H5Tget_class(ftype) : H5T_NO_CLASS;
    int bits_ok = ftype >= 0 && io__number_bits_ok(ftype, fsize, fclass);
    if (ftype >= 0)
      H5Tclose(ftype);
    hid_t dcpl = H5Dget_create_plist(ds);
    H5D_layout_t layout = dcpl >= 0 ? H5Pget_layout(dcpl) : H5D_LAYOUT_ERROR;
    if (dcpl >= 0)
      H5Pclose(dcpl);
    void *buf = NULL;
    /* a number of 1..16 bytes (HDF5 1.10.8 converts a corrupt type of a
     * huge size through a buffer it never checks: a crash) */
    if ((fclass != H5T_INTEGER && fclass != H5T_FLOAT) || fsize < 1 ||
        fsize > 16)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: dataset %s is not an array of "
                   "numbers (type class %d, %zu bytes)", f->path, path,
                   (int)fclass, fsize);
    else if (!bits_ok)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: dataset %s has a corrupt number "
                   "type (its bit fields do not fit its %zu bytes)", f->path,
                   path, fsize);
    else if (layout != H5D_CHUNKED && claim_bytes(hd, r, fsize) > 0 &&
             H5Dget_storage_size(ds) < claim_bytes(hd, r, fsize))
      rc = TK_FAIL(err, TK_EFORMAT, "%s: dataset %s claims more elements "
                   "than the file holds (it stores %llu bytes; corrupt or "
                   "truncated?)", f->path, path,
                   (unsigned long long)H5Dget_storage_size(ds));
    else if (too_big || total > IO_READ_MAX_BYTES / (elsize > fsize ? elsize : fsize))
      rc = TK_FAIL(err, TK_ERANGE, "%s: dataset %s is larger than the %llu "
                   "bytes a read may take (IO_READ_MAX_BYTES)", f->path, path,
                   (unsigned long long)IO_READ_MAX_BYTES);
    else if (total > 0 && layout == H5D_CHUNKED && H5Dget_storage_size(ds) == 0)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: dataset %s claims %zu elements but "
                   "stores none (corrupt or truncated?)", f->path, path, total);
    else if ((buf = malloc(total ? total * elsize : 1)) == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "%s: out of memory reading %s", f->path, path);
    else if (total > 0 &&
             H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
      free(buf);
      rc = TK_FAIL(err, TK_EFORMAT, "%s: cannot read %s as a number array",
                   f->path, path);
    } else {
      *data = buf;
    }
  }
  H5Sclose(space);
  H5Dclose(ds);
  return rc;
}

int io_read_f64(io_file *f, const char *path, double **data, int *rank,
                size_t dims[4], tk_err *err)
{
  return read_any(f, path, H5T_NATIVE_DOUBLE, sizeof(double), (void **)data,
                  rank, dims, err);
}

int io_read_f32(io_file *f, const char *path, float **data, int *rank,
                size_t dims[4], tk_err *err)
{
  return read_any(f, path, H5T_NATIVE_FLOAT, sizeof(float), (void **)data,
                  rank, dims, err);
}

int io_read_i32(io_file *f, const char *path, int32_t **data, int *rank,
                size_t dims[4], tk_err *err)
{
  return read_any(f, path, H5T_NATIVE_INT32, sizeof(int32_t), (void **)data,
                  rank, dims, err);
}

int io_read_i8(io_file *f, const char *path, int8_t **data, int *rank,
               size_t dims[4], tk_err *err)
{
  return read_any(f, path, H5T_NATIVE_INT8, sizeof(int8_t), (void **)data,
                  rank, dims, err);
}

typedef struct name_list {
  char **names;   /* collected names */
  size_t n;       /* used */
  size_t cap;     /* allocated */
  int oom;        /* 1 after an allocation failure */
} name_list;

static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info,
                           void *data)
{
  (void)g;
  (void)info;
  name_list *l = data;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    char **nn = realloc(l->names, cap * sizeof *nn);
    if (nn == NULL) {
      l->oom = 1;
      return -1;
    }
    l->names = nn;
    l->cap = cap;
  }
  l->names[l->n] = strdup(name);
  if (l->names[l->n] == NULL) {
    l->oom = 1;
    return -1;
  }
  l->n++;
  return 0;
}

int io_list(io_file *f, const char *group, char ***names, size_t *n,
            tk_err *err)
{
  *names = NULL;
  *n = 0;
  if (!io_exists(f, group))
    return TK_FAIL(err, TK_ENOTFOUND, "%s: group %s not found", f->path, group);
  hid_t g = H5Gopen2(f->fid, group, H5P_DEFAULT);
  if (g < 0)
    return TK_FAIL(err, TK_EFORMAT, "%s: %s is not a group", f->path, group);
  name_list l = {0};
  herr_t hr = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_name, &l);
  H5Gclose(g);
  if (hr < 0 || l.oom) {
    io_names_free(l.names, l.n);
    return TK_FAIL(err, l.oom ? TK_ENOMEM : TK_EFORMAT, "%s: cannot list %s",
                   f->path, group);
  }
  *names = l.names;
  *n = l.n;
  return TK_OK;
}

void io_names_free(char **names, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}
