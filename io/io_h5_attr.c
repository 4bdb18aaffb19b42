/* io_h5_attr.c -- attributes of HDF5 objects: strings, doubles and
 * 64-bit integers, written and read back by name (io_h5.h).
 *
 * Workload: a few tens of attributes per file (provenance, settings,
 * units); each call opens and closes its object.
 */
#include "io/io_h5.h"
#include "io/io_h5_impl.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hid_t open_obj(io_file *f, const char *obj)
{
  return H5Oopen(f->fid, obj, H5P_DEFAULT);
}

static int put_attr(io_file *f, const char *obj, const char *name, hid_t type,
                    hid_t space, const void *value, tk_err *err)
{
  hid_t o = open_obj(f, obj);
  if (o < 0)
    return TK_FAIL(err, TK_ENOTFOUND, "%s: object %s not found", f->path, obj);
  if (H5Aexists(o, name) > 0)
    H5Adelete(o, name);
  hid_t a = H5Acreate2(o, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  int rc = TK_OK;
  if (a < 0 || H5Awrite(a, type, value) < 0)
    rc = TK_FAIL(err, TK_EIO, "%s: cannot write attribute %s on %s", f->path,
                 name, obj);
  if (a >= 0)
    H5Aclose(a);
  H5Oclose(o);
  return rc;
}

int io_attr_str(io_file *f, const char *obj, const char *name,
                const char *value, tk_err *err)
{
  hid_t type = H5Tcopy(H5T_C_S1);
  size_t len = strlen(value);
  H5Tset_size(type, len > 0 ? len : 1);
  H5Tset_strpad(type, H5T_STR_NULLTERM);
  H5Tset_cset(type, H5T_CSET_UTF8);
  hid_t space = H5Screate(H5S_SCALAR);
  int rc = put_attr(f, obj, name, type, space, len > 0 ? value : "", err);
  H5Sclose(space);
  H5Tclose(type);
  return rc;
}

int io_attr_f64(io_file *f, const char *obj, const char *name, double value,
                tk_err *err)
{
  hid_t space = H5Screate(H5S_SCALAR);
  int rc = put_attr(f, obj, name, H5T_NATIVE_DOUBLE, space, &value, err);
  H5Sclose(space);
  return rc;
}

int io_attr_i64(io_file *f, const char *obj, const char *name, int64_t value,
                tk_err *err)
{
  hid_t space = H5Screate(H5S_SCALAR);
  int rc = put_attr(f, obj, name, H5T_NATIVE_INT64, space, &value, err);
  H5Sclose(space);
  return rc;
}

static int open_attr(io_file *f, const char *obj, const char *name, hid_t *o,
                     hid_t *a, tk_err *err)
{
  *o = open_obj(f, obj);
  if (*o < 0)
    return TK_FAIL(err, TK_ENOTFOUND, "%s: object %s not found", f->path, obj);
  if (H5Aexists(*o, name) <= 0) {
    H5Oclose(*o);
    return TK_FAIL(err, TK_ENOTFOUND, "%s: attribute %s missing on %s",
                   f->path, name, obj);
  }
  *a = H5Aopen(*o, name, H5P_DEFAULT);
  if (*a < 0) {
    H5Oclose(*o);
    return TK_FAIL(err, TK_EFORMAT, "%s: cannot open attribute %s on %s",
                   f->path, name, obj);
  }
  /* One value: the readers read into one double, int64 or string (an
   * array attribute would be written past them). */
  hid_t space = H5Aget_space(*a);
  hssize_t npts = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
  if (space >= 0)
    H5Sclose(space);
  if (npts != 1) {
    H5Aclose(*a);
    H5Oclose(*o);
    return TK_FAIL(err, TK_EFORMAT, "%s: attribute %s on %s holds %lld values "
                   "(want one)", f->path, name, obj, (long long)npts);
  }
  return TK_OK;
}

int io_get_attr_str(io_file *f, const char *obj, const char *name, char *buf,
                    size_t size, tk_err *err)
{
  hid_t o, a;
  TK_TRY(open_attr(f, obj, name, &o, &a, err));
  hid_t ftype = H5Aget_type(a);
  int rc = TK_OK;
  if (H5Tget_class(ftype) != H5T_STRING) {
    rc = TK_FAIL(err, TK_EFORMAT, "%s: attribute %s on %s is not a string",
                 f->path, name, obj);
  } else if (H5Tis_variable_str(ftype) > 0) {
    char *s = NULL;
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(ftype));
    if (H5Aread(a, mt, &s) < 0 || s == NULL)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: cannot read attribute %s", f->path, name);
    else
      snprintf(buf, size, "%s", s);
    if (s != NULL)
      H5free_memory(s);
    H5Tclose(mt);
  } else {
    /* Read in the file's own string type (same size and character set:
     * HDF5 does not convert between ASCII and UTF-8). */
    size_t n = H5Tget_size(ftype);
    char *tmp = calloc(n + 1, 1);
    if (tmp == NULL || H5Aread(a, ftype, tmp) < 0)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: cannot read attribute %s", f->path, name);
    else
      snprintf(buf, size, "%s", tmp);
    free(tmp);
  }
  H5Tclose(ftype);
  H5Aclose(a);
  H5Oclose(o);
  return rc;
}

/* A numeric attribute's stored type is a number whose bit layout fits
 * it (HDF5 converts a corrupt one unchecked: io__number_bits_ok). */
static int number_attr_ok(hid_t a)
{
  hid_t t = H5Aget_type(a);
  if (t < 0)
    return 0;
  H5T_class_t cls = H5Tget_class(t);
  size_t size = H5Tget_size(t);
  int ok = (cls == H5T_INTEGER || cls == H5T_FLOAT) && size >= 1 &&
           size <= 16 && io__number_bits_ok(t, size, cls);
  H5Tclose(t);
  return ok;
}

int io_get_attr_f64(io_file *f, const char *obj, const char *name,
                    double *value, tk_err *err)
{
  hid_t o, a;
  TK_TRY(open_attr(f, obj, name, &o, &a, err));
  int rc = TK_OK;
  if (!number_attr_ok(a) || H5Aread(a, H5T_NATIVE_DOUBLE, value) < 0)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: attribute %s on %s is not a number",
                 f->path, name, obj);
  H5Aclose(a);
  H5Oclose(o);
  return rc;
}

int io_get_attr_i64(io_file *f, const char *obj, const char *name,
                    int64_t *value, tk_err *err)
{
  hid_t o, a;
  TK_TRY(open_attr(f, obj, name, &o, &a, err));
  int rc = TK_OK;
  if (!number_attr_ok(a) || H5Aread(a, H5T_NATIVE_INT64, value) < 0)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: attribute %s on %s is not an integer",
                 f->path, name, obj);
  H5Aclose(a);
  H5Oclose(o);
  return rc;
}
