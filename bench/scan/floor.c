/* The C floor of the scan benchmark: walk a tree and, single-threaded, read and parse every certificate
 * of every PEM file with OpenSSL, pulling notAfter, the SANs, the EKU and the SHA-256 fingerprint.
 * Nothing else (no formatting, no output but a count). Build: cc -O2 -o floor floor.c -lcrypto */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>

static long certificates, files, failures;
static unsigned long checksum;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st; (void)ftw;
  if (type != FTW_F) return 0;
  BIO *bio = BIO_new_file(path, "rb");
  if (bio == NULL) { failures++; ERR_clear_error(); return 0; }
  files++;
  X509 *cert;
  while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
    const ASN1_TIME *not_after = X509_get0_notAfter(cert);
    GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(cert, EVP_sha256(), digest, &length) != 1) failures++;
    checksum += digest[0] + (unsigned long)(not_after != NULL ? not_after->length : 0);
    checksum += (unsigned long)(sans ? sk_GENERAL_NAME_num(sans) : 0) + (unsigned long)(eku ? sk_ASN1_OBJECT_num(eku) : 0);
    GENERAL_NAMES_free(sans);
    EXTENDED_KEY_USAGE_free(eku);
    X509_free(cert);
    certificates++;
  }
  ERR_clear_error(); /* the PEM reader ends with "no start line" at end of file */
  BIO_free(bio);
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (nftw(argv[i], visit, 32, FTW_PHYS) != 0) { perror(argv[i]); return 2; }
  }
  printf("%ld files, %ld certificates, %ld failures (checksum %lu)\n", files, certificates, failures, checksum);
  return failures == 0 ? 0 : 1;
}
