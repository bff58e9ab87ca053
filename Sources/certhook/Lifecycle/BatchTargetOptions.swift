import ArgumentParser
import CertHookCore
import Foundation

/// The certificate and targets shared by `attach` and `detach`.
struct BatchTargetOptions: ParsableArguments {
  @Option(help: "Certificate file, or an existing certificate ID (123-cn-hangzhou, or the CAS number).")
  var cert: String

  @Option(help: "Private key file (needed only to upload a file CAS does not have yet).")
  var key: String?

  @Option(help: "Chain file (intermediates), when not in the certificate file.")
  var chain: String?

  @Option(name: .customLong("listener"), help: "Target listener ID or product key (lsr-…, nlb:lsn-…; repeatable).")
  var listeners: [String] = []

  @Option(
    name: .customLong("load-balancer"),
    help: "Target load balancer ID: all its certificate-carrying listeners (alb-…, nlb-…, ga-…, lb-…; repeatable).")
  var loadBalancers: [String] = []

  @OptionGroup var products: ProductTargetOptions

  @Flag(name: .customLong("dry-run"), help: "Print the plan and run the API's DryRun prechecks; change nothing.")
  var dryRun = false

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  /// Validates the selectors.
  func check() throws {
    guard try !listenerKeys().isEmpty || !loadBalancerKeys().isEmpty else {
      throw ValidationError(
        "name at least one --listener or --load-balancer (or --nlb-listener, --ga-listener, --clb-listener, ...)")
    }
    if cert.isEmpty { throw ValidationError("--cert must not be empty") }
  }

  /// Every target listener as an engine key.
  func listenerKeys() throws -> [String] {
    try ProductTargetOptions.listenerKeys(listeners) + products.listenerKeys()
  }

  /// Every target load balancer as an engine key.
  func loadBalancerKeys() throws -> [String] {
    try ProductTargetOptions.loadBalancerKeys(loadBalancers) + products.loadBalancerKeys()
  }

  /// The certificate as a file or an ID.
  var reference: CertificateReference {
    CertificateReference.parse(cert, key: key, chain: chain) { FileManager.default.fileExists(atPath: $0) }
  }
}
