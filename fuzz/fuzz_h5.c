/* fuzz_h5.c -- fuzzed HDF5 bytes as an in-memory file image, opening
 * them and walking their groups (fuzz_h5.h). */
#define _GNU_SOURCE 1
#include "fuzz/fuzz_h5.h"

#include <dlfcn.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t *img;      /* the current input's bytes */
static size_t img_len;          /* their count */
static const char *img_path;    /* the placeholder path naming them */
static char img_name[4200];     /* the name HDF5 gets: never on disk */
static unsigned long img_reached; /* H5Fis_hdf5/H5Fopen calls on img_path */

const char *fuzz_h5_image(const uint8_t *data, size_t size)
{
  if (img_path == NULL) {
    /* Once per process.  HDF5's free lists keep what a file's open
     * frees (its metadata cache alone is a block of about 0.5 MB) for the
     * next file: by default a list over 64 KiB is handed back to malloc,
     * which under ASan maps and unmaps such blocks each time (page faults
     * were most of an execution's time). */
    H5set_free_list_limits(64 << 20, 16 << 20, 64 << 20, 16 << 20,
                           64 << 20, 16 << 20);
    img_path = fuzz_memfile((const uint8_t *)"", 0);  /* empty, made once */
    if (img_path == NULL)
      return NULL;
    snprintf(img_name, sizeof img_name, "%s.in-memory-image", img_path);
  }
  img = data;
  img_len = size;
  img_reached = 0;
  return img_path;
}

void fuzz_h5_image_done(void)
{
  if (img_reached == 0)
    fuzz_fail("fuzz_h5_image", "no reader opened the in-memory image (the "
              "harness's H5Fopen/H5Fis_hdf5 were not the ones called?)");
}

static int is_image(const char *name)
{
  return name != NULL && img_path != NULL && strcmp(name, img_path) == 0;
}

/* HDF5 1.10's own search (H5FD_locate_signature): the 8-byte signature
 * at offset 0 or at 2^n for 9 <= n < the bit length of the size. */
htri_t H5Fis_hdf5(const char *name)
{
  if (!is_image(name)) {
    htri_t (*real)(const char *) =
        (htri_t (*)(const char *))dlsym(RTLD_NEXT, "H5Fis_hdf5");
    return real != NULL ? real(name) : -1;
  }
  img_reached++;
  static const uint8_t sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a,
                                 '\n'};
  unsigned maxpow = 0;
  for (size_t a = img_len; a != 0; a >>= 1)
    maxpow++;
  if (maxpow < 9)
    maxpow = 9;
  for (unsigned n = 8; n < maxpow; n++) {
    size_t off = n == 8 ? 0 : (size_t)1 << n;
    if (off <= img_len && img_len - off >= sizeof sig &&
        memcmp(img + off, sig, sizeof sig) == 0)
      return 1;
  }
  return 0;
}

/* HDF5's file-image callbacks that lend the input's bytes instead of
 * copying them (as the high-level H5LTopen_file_image does with
 * H5LT_FILE_IMAGE_DONT_COPY).  Otherwise every open copied the whole input
 * three times (into the access property list, into the file's own copy
 * of that list, into the core driver's buffer), and under ASan each copy
 * over 128 KiB is a fresh mmap whose pages fault in: for the 0.2-0.9 MB
 * DTM and classifier inputs, most of an execution's time.  Used for
 * read-only opens only, so HDF5 never writes to the bytes (libFuzzer
 * checks that the input is unchanged after each run). */
static void *lend_malloc(size_t size, H5FD_file_image_op_t op, void *udata)
{
  (void)op;
  (void)udata;
  return size == img_len ? (void *)(uintptr_t)img : NULL;
}

static void *lend_memcpy(void *dest, const void *src, size_t size,
                         H5FD_file_image_op_t op, void *udata)
{
  (void)size;
  (void)op;
  (void)udata;
  return dest == src ? dest : NULL;  /* a real copy is refused: HDF5 fails */
}

static herr_t lend_free(void *ptr, H5FD_file_image_op_t op, void *udata)
{
  (void)ptr;
  (void)op;
  (void)udata;
  return 0;
}

static void *lend_udata_copy(void *udata)
{
  return udata;
}

static herr_t lend_udata_free(void *udata)
{
  (void)udata;
  return 0;
}

/* The image through the core driver (no backing store); other paths as
 * libhdf5 opens them. */
hid_t H5Fopen(const char *name, unsigned flags, hid_t fapl)
{
  static hid_t (*real)(const char *, unsigned, hid_t);
  if (real == NULL)
    real = (hid_t (*)(const char *, unsigned, hid_t))dlsym(RTLD_NEXT,
                                                           "H5Fopen");
  if (real == NULL)
    return -1;
  if (!is_image(name) || fapl != H5P_DEFAULT)
    return real(name, flags, fapl);
  img_reached++;
  hid_t p = H5Pcreate(H5P_FILE_ACCESS);
  if (p < 0)
    return -1;
  hid_t id = -1;
  /* read-only: HDF5 borrows img (the callbacks above, set before the
   * image as HDF5 requires); otherwise it copies the bytes */
  H5FD_file_image_callbacks_t lend = {
      lend_malloc, lend_memcpy, NULL, lend_free, lend_udata_copy,
      lend_udata_free, NULL};
  if (H5Pset_fapl_core(p, (size_t)1 << 16, 0) >= 0 &&
      (flags != H5F_ACC_RDONLY || img_len == 0 ||
       H5Pset_file_image_callbacks(p, &lend) >= 0) &&
      H5Pset_file_image(p, img_len ? (void *)(uintptr_t)img : NULL,
                        img_len) >= 0)
    id = real(img_name, flags, p);
  H5Pclose(p);
  return id;
}

io_file *fuzz_h5_open(const uint8_t *data, size_t size, const char **path)
{
  *path = fuzz_h5_image(data, size);
  if (*path == NULL)
    return NULL;
  tk_err err = {0};
  io_file *f = NULL;
  int rc = io_file_open_read(*path, &f, &err);
  fuzz_check_error(rc, &err, "io_file_open_read");
  if (rc != 0 && f != NULL)
    fuzz_fail("io_file_open_read", "failure left a file");
  return f;
}

void fuzz_h5_walk(io_file *f, const char *group, const char *const *attrs)
{
  tk_err err = {0};
  char **names = NULL;
  size_t n = 0;
  int rc = io_list(f, group, &names, &n, &err);
  fuzz_check_error(rc, &err, "io_list");
  if (rc != 0)
    return;
  for (size_t i = 0; i < n && i < 64; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", group[1] ? group : "", names[i]);
    double *v = NULL;
    int rank = 0;
    size_t dims[4] = {0};
    tk_err e2 = {0};
    rc = io_read_f64(f, path, &v, &rank, dims, &e2);
    fuzz_check_error(rc, &e2, "io_read_f64");
    if (rc == 0) {
      if (rank < 0 || rank > 4)
        fuzz_fail("io_read_f64", "rank outside 0..4");
      size_t total = 1;
      for (int k = 0; k < rank; k++)
        total *= dims[k];
      double sum = 0;
      for (size_t k = 0; k < total; k++)
        sum += v[k];   /* ASan: the array holds every element */
      (void)sum;
    }
    free(v);
  }
  io_names_free(names, n);
  for (size_t a = 0; attrs != NULL && attrs[a] != NULL; a++) {
    char buf[256];
    double d;
    int64_t l;
    tk_err e3 = {0};
    rc = io_get_attr_str(f, group, attrs[a], buf, sizeof buf, &e3);
    fuzz_check_error(rc, &e3, "io_get_attr_str");
    tk_err_clear(&e3);
    rc = io_get_attr_f64(f, group, attrs[a], &d, &e3);
    fuzz_check_error(rc, &e3, "io_get_attr_f64");
    tk_err_clear(&e3);
    rc = io_get_attr_i64(f, group, attrs[a], &l, &e3);
    fuzz_check_error(rc, &e3, "io_get_attr_i64");
  }
}
