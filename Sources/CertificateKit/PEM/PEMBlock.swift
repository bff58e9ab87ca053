/// One `-----BEGIN label----- ... -----END label-----` block found in a file.
struct PEMBlock {
  /// The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`.
  let label: String
  /// Header lines (`Proc-Type: 4,ENCRYPTED`) before the base64 body, if any.
  let headers: [String]
  /// The byte range of the base64 body in the scanned input.
  let body: Range<Int>
  /// False when the block has no matching END line (its body then runs to the end of the input).
  let isTerminated: Bool

  /// Whether the block holds a certificate (`CERTIFICATE`, `X509 CERTIFICATE`, `TRUSTED CERTIFICATE`).
  var isCertificate: Bool {
    label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE"
  }
}
