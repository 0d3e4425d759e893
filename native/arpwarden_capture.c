/*
 * arpwarden's capture addon: libpcap handles that deliver frames in batches.
 *
 * Why our own: the `pcap` package calls into JavaScript once per frame (its
 * empty callback alone costs half of tcpdump's whole read), cannot pause an
 * offline read, and cannot really close a live handle on libpcap 1.10 (its
 * close waits for a dispatch that returns -2, which never comes), so a
 * capture process cannot exit. Here one call copies as many frames as fit
 * into a caller's buffer, and close is pcap_close.
 *
 * Batch layout: frames are copied back to back into `data`; `meta` gets four
 * doubles per frame: offset in data, captured length, wire length, time in
 * microseconds since the epoch, or NaN when the record's time is not one (a
 * microsecond field outside 0..999999): the decoder counts that frame malformed.
 *
 * Times: libpcap 1.10 reads a pcap record's seconds as signed 32 bits, so from
 * 2038-01-19 on they come out negative; the format's field is unsigned (to
 * 2106), so the addon takes it as such. pcapng's 64-bit times come as they are.
 */
#include <node_api.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

/* tcpdump's cap (MAXIMUM_SNAPLEN): a file header may claim 0x7fffffff, and the batch buffer is sized from it */
#define MAX_SNAPLEN 262144
/* the pcapng Section Header Block's type: any other first word is a classic pcap (or not a capture) */
#define PCAPNG_SHB 0x0a0d0d0a
/* a BPF expression: far more than any filter a person writes; longer is refused whole, never cut */
#define MAX_FILTER_BYTES 65536
#define MAX_FILTER_TEXT "65536"
/* stdio's buffer for an offline file */
#define READ_BUFFER_BYTES (1 << 20)

typedef struct {
  pcap_t *p;
  int eof;
  int failed;
  /* a classic pcap file: its seconds are unsigned 32 bits */
  int unsigned_secs;
  /* an offline file's stdio buffer (setvbuf), freed once pcap_close has closed the FILE */
  char *stdio_buf;
  char err[PCAP_ERRBUF_SIZE + 64];
} handle_t;

#define CHECK(call)                                                        \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error(env, NULL, "arpwarden_capture: N-API call failed"); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

static void finalize(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  handle_t *h = (handle_t *)data;
  if (h->p != NULL) pcap_close(h->p);
  free(h->stdio_buf);
  free(h);
}

static napi_value throw_msg(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

/* A string argument that fits `len` bytes with its NUL; one that does not is refused (never cut). 0 not a string, -1 too long. */
static int get_string(napi_env env, napi_value v, char *buf, size_t len) {
  size_t n;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) return 0;
  if (n + 1 > len) return -1;
  return napi_get_value_string_utf8(env, v, buf, len, &n) == napi_ok ? 1 : 0;
}

static int capped_snaplen(pcap_t *p) {
  int snap = pcap_snapshot(p);
  return snap <= 0 || snap > MAX_SNAPLEN ? MAX_SNAPLEN : snap;
}

static handle_t *get_handle(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok || data == NULL) return NULL;
  return (handle_t *)data;
}

/* { handle, linkType, linkTypeName, snapLen }; linkTypeName as tcpdump prints it ("RAW (Raw IP)"): a DLT number
   is not always the file's LINKTYPE (Raw IP is 101 in the file, 12 on Linux), a name is the same everywhere */
static napi_value wrap(napi_env env, handle_t *h) {
  napi_value obj, ext, lt, ltname, snap;
  char name[160];
  int dlt = pcap_datalink(h->p);
  const char *n = pcap_datalink_val_to_name(dlt), *d = pcap_datalink_val_to_description(dlt);
  if (n == NULL) snprintf(name, sizeof name, "%d", dlt);
  else snprintf(name, sizeof name, "%s (%s)", n, d != NULL ? d : n);
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_external(env, h, finalize, NULL, &ext));
  CHECK(napi_create_int32(env, dlt, &lt));
  CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &ltname));
  CHECK(napi_create_int32(env, capped_snaplen(h->p), &snap));
  CHECK(napi_set_named_property(env, obj, "handle", ext));
  CHECK(napi_set_named_property(env, obj, "linkType", lt));
  CHECK(napi_set_named_property(env, obj, "linkTypeName", ltname));
  CHECK(napi_set_named_property(env, obj, "snapLen", snap));
  return obj;
}

/* openOffline(path) */
static napi_value open_offline(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char path[4096], errbuf[PCAP_ERRBUF_SIZE];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int got = argc < 1 ? 0 : get_string(env, argv[0], path, sizeof path);
  if (got < 0) return throw_msg(env, "path too long (4095 bytes at most)");
  if (got == 0) return throw_msg(env, "openOffline(path)");
  /* the first word tells pcap from pcapng (whose times libpcap reads right); pcap_fopen_offline then owns the FILE */
  /* "-" is standard input, as for tcpdump -r -: a dup, so that pcap_close leaves fd 0 open (a socket, as Node's
     child_process makes, has no /dev/stdin to open again) */
  int in = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : -1;
  if (strcmp(path, "-") == 0 && in < 0) return throw_msg(env, strerror(errno));
  FILE *f = in >= 0 ? fdopen(in, "rb") : fopen(path, "rb");
  if (f == NULL) {
    int err = errno;
    if (in >= 0) close(in);
    return throw_msg(env, strerror(err));
  }
  /* libpcap freads each record's header and data: through stdio's default buffer (the file's 4 KiB block) that was a
     read syscall every 54 frames; 1 MiB makes it one every 14,000. Ours, not glibc's (which ignores the size of a
     buffer it is asked to allocate), so freed after pcap_close has closed the FILE. */
  char *stdio_buf = malloc(READ_BUFFER_BYTES);
  if (stdio_buf != NULL) setvbuf(f, stdio_buf, _IOFBF, READ_BUFFER_BYTES);
  unsigned char magic[4] = {0, 0, 0, 0};
  size_t got_magic = fread(magic, 1, 4, f);
  /* a pipe (`-`, <(...)) cannot seek back: the bytes just read are still in stdio's buffer, and ungetc puts them back */
  if (fseek(f, 0, SEEK_SET) != 0) {
    clearerr(f);
    for (size_t i = got_magic; i > 0; i--) ungetc(magic[i - 1], f);
  }
  uint32_t word = (uint32_t)magic[0] | (uint32_t)magic[1] << 8 | (uint32_t)magic[2] << 16 | (uint32_t)magic[3] << 24;
  errbuf[0] = 0;
  pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (p == NULL) {
    fclose(f);
    free(stdio_buf);
    return throw_msg(env, errbuf);
  }
  handle_t *h = calloc(1, sizeof *h);
  if (h == NULL) {
    pcap_close(p);
    free(stdio_buf);
    return throw_msg(env, "out of memory");
  }
  h->p = p;
  h->stdio_buf = stdio_buf;
  /* the SHB's type is the same in either byte order */
  h->unsigned_secs = !(got_magic == 4 && word == PCAPNG_SHB);
  return wrap(env, h);
}

/*
 * openLive(device, snapLen, promisc, bufferBytes, timeoutMs) — timeoutMs > 0: the kernel's TPACKET_V3 blocks,
 * handed over when full or that old (LiveSource's default); 0: immediate mode, which libpcap serves with
 * TPACKET_V2's one slot a frame (each frame at once, but less than half as many in the same buffer)
 */
static napi_value open_live(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  char dev[256], errbuf[PCAP_ERRBUF_SIZE];
  int32_t snap, buffer, timeout;
  bool promisc;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 1 && get_string(env, argv[0], dev, sizeof dev) < 0) return throw_msg(env, "interface name too long (255 bytes at most)");
  if (argc < 5 || get_string(env, argv[0], dev, sizeof dev) != 1 || napi_get_value_int32(env, argv[1], &snap) != napi_ok ||
      napi_get_value_bool(env, argv[2], &promisc) != napi_ok || napi_get_value_int32(env, argv[3], &buffer) != napi_ok ||
      napi_get_value_int32(env, argv[4], &timeout) != napi_ok)
    return throw_msg(env, "openLive(device, snapLen, promisc, bufferBytes, timeoutMs)");
  /* int32 arguments: a caller's 2 GiB would arrive negative, and libpcap would quietly use its default */
  if (snap <= 0 || buffer <= 0 || timeout < 0) return throw_msg(env, "openLive: snapLen and bufferBytes must be positive, timeoutMs not negative");
  if (snap > MAX_SNAPLEN) snap = MAX_SNAPLEN;
  errbuf[0] = 0;
  pcap_t *p = pcap_create(dev, errbuf);
  if (p == NULL) return throw_msg(env, errbuf);
  pcap_set_snaplen(p, snap);
  pcap_set_promisc(p, promisc ? 1 : 0);
  pcap_set_buffer_size(p, buffer);
  if (timeout > 0) pcap_set_timeout(p, timeout); else pcap_set_immediate_mode(p, 1);
  int rc = pcap_activate(p);
  if (rc < 0) {
    char msg[PCAP_ERRBUF_SIZE + 128];
    const char *detail = pcap_geterr(p);
    snprintf(msg, sizeof msg, "%s%s%s", pcap_statustostr(rc), detail && *detail ? ": " : "", detail ? detail : "");
    pcap_close(p);
    return throw_msg(env, msg);
  }
  if (pcap_setnonblock(p, 1, errbuf) < 0) {
    pcap_close(p);
    return throw_msg(env, errbuf);
  }
  handle_t *h = calloc(1, sizeof *h);
  h->p = p;
  return wrap(env, h);
}

/* setFilter(handle, expression) */
static napi_value set_filter(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char expr[MAX_FILTER_BYTES + 1];
  struct bpf_program prog;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  handle_t *h = argc == 2 ? get_handle(env, argv[0]) : NULL;
  if (h == NULL || h->p == NULL) return throw_msg(env, "setFilter(handle, expression) on an open handle");
  int got = get_string(env, argv[1], expr, sizeof expr);
  if (got < 0) return throw_msg(env, "filter too long (" MAX_FILTER_TEXT " bytes at most)");
  if (got == 0) return throw_msg(env, "setFilter(handle, expression): the expression must be a string");
  if (pcap_compile(h->p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) return throw_msg(env, pcap_geterr(h->p));
  int rc = pcap_setfilter(h->p, &prog);
  pcap_freecode(&prog);
  if (rc < 0) return throw_msg(env, pcap_geterr(h->p));
  return NULL;
}

/*
 * readBatch(handle, data, meta) → frames copied (≥ 0); -1 at the end of a
 * file; -2 on a read error (error(handle) says which), after the frames
 * before it were delivered by earlier calls.
 */
static napi_value read_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  handle_t *h = argc == 3 ? get_handle(env, argv[0]) : NULL;
  if (h == NULL) return throw_msg(env, "readBatch(handle, data, meta)");
  uint8_t *data;
  size_t data_len;
  double *meta;
  size_t meta_len;
  napi_typedarray_type type;
  napi_value ab;
  size_t off;
  if (napi_get_buffer_info(env, argv[1], (void **)&data, &data_len) != napi_ok) return throw_msg(env, "readBatch: data must be a Buffer");
  if (napi_get_typedarray_info(env, argv[2], &type, &meta_len, (void **)&meta, &ab, &off) != napi_ok || type != napi_float64_array)
    return throw_msg(env, "readBatch: meta must be a Float64Array");
  int32_t n = 0;
  if (h->p == NULL || h->eof || h->failed) {
    CHECK(napi_create_int32(env, h->eof ? -1 : -2, &result));
    return result;
  }
  size_t snap = (size_t)capped_snaplen(h->p);
  size_t used = 0, max_frames = meta_len / 4;
  /* stop while the largest possible frame still fits, so no frame is ever left half-read */
  while ((size_t)n < max_frames && data_len - used >= snap) {
    struct pcap_pkthdr *hdr;
    const u_char *bytes;
    int rc = pcap_next_ex(h->p, &hdr, &bytes);
    if (rc == 1) {
      size_t cap = hdr->caplen < snap ? hdr->caplen : snap;
      memcpy(data + used, bytes, cap);
      double *m = meta + 4 * n;
      m[0] = (double)used;
      m[1] = (double)cap;
      m[2] = (double)hdr->len;
      double sec = h->unsigned_secs ? (double)(uint32_t)hdr->ts.tv_sec : (double)hdr->ts.tv_sec;
      long usec = (long)hdr->ts.tv_usec;
      m[3] = usec >= 0 && usec < 1000000 ? sec * 1e6 + (double)usec : NAN;
      used += cap;
      n++;
    } else if (rc == 0) {
      break; /* live: nothing more right now */
    } else if (rc == PCAP_ERROR_BREAK) {
      h->eof = 1;
      if (n == 0) n = -1;
      break;
    } else {
      /* a record libpcap cannot read (a file cut short, garbage): deliver what came before, report it next call */
      snprintf(h->err, sizeof h->err, "%s", pcap_geterr(h->p));
      h->failed = 1;
      if (n == 0) n = -2;
      break;
    }
  }
  CHECK(napi_create_int32(env, n, &result));
  return result;
}

/* error(handle) → the last read error, or "" */
static napi_value last_error(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], s;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  handle_t *h = argc == 1 ? get_handle(env, argv[0]) : NULL;
  CHECK(napi_create_string_utf8(env, h ? h->err : "", NAPI_AUTO_LENGTH, &s));
  return s;
}

/* stats(handle) → { received, dropped, ifDropped } (pcap_stats; live handles) */
static napi_value stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], obj, v;
  struct pcap_stat st;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  handle_t *h = argc == 1 ? get_handle(env, argv[0]) : NULL;
  if (h == NULL || h->p == NULL) return throw_msg(env, "stats: handle closed");
  if (pcap_stats(h->p, &st) < 0) return throw_msg(env, pcap_geterr(h->p));
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_double(env, st.ps_recv, &v));
  CHECK(napi_set_named_property(env, obj, "received", v));
  CHECK(napi_create_double(env, st.ps_drop, &v));
  CHECK(napi_set_named_property(env, obj, "dropped", v));
  CHECK(napi_create_double(env, st.ps_ifdrop, &v));
  CHECK(napi_set_named_property(env, obj, "ifDropped", v));
  return obj;
}

/* close(handle): pcap_close; idempotent */
static napi_value close_handle(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  handle_t *h = argc == 1 ? get_handle(env, argv[0]) : NULL;
  if (h != NULL && h->p != NULL) {
    pcap_close(h->p);
    h->p = NULL;
    free(h->stdio_buf);
    h->stdio_buf = NULL;
  }
  return NULL;
}

static napi_value lib_version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value s;
  CHECK(napi_create_string_utf8(env, pcap_lib_version(), NAPI_AUTO_LENGTH, &s));
  return s;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
    {"openOffline", NULL, open_offline, NULL, NULL, NULL, napi_default, NULL},
    {"openLive", NULL, open_live, NULL, NULL, NULL, napi_default, NULL},
    {"setFilter", NULL, set_filter, NULL, NULL, NULL, napi_default, NULL},
    {"readBatch", NULL, read_batch, NULL, NULL, NULL, napi_default, NULL},
    {"error", NULL, last_error, NULL, NULL, NULL, napi_default, NULL},
    {"stats", NULL, stats, NULL, NULL, NULL, napi_default, NULL},
    {"close", NULL, close_handle, NULL, NULL, NULL, napi_default, NULL},
    {"libVersion", NULL, lib_version, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
