/* io_h5_impl.h -- the io_file handle, shared by io_h5.c (files, groups,
 * datasets) and io_h5_attr.c (attributes); not installed. */
#ifndef IO_H5_IMPL_H
#define IO_H5_IMPL_H

#include <hdf5.h>

#include "io/io_h5.h"

struct io_file {
  hid_t fid;            /* HDF5 file id, >= 0 while open */
  int writing_partial;  /* 1: created, lives at tmp_path until commit */
  char path[4096];      /* final name */
  char tmp_path[4112];  /* path + ".partial" */
};

/* 1 when the bit layout of number type t (class cls, size bytes) fits
 * it: precision and offset inside its bytes, a float's fields inside the
 * precision and at most 64 bits each (io_h5.c). */
int io__number_bits_ok(hid_t t, size_t size, H5T_class_t cls);

#endif
