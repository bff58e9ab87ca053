import ArgumentParser
import CertificateKit
import Foundation

/// `certhook inspect`: every certificate in the files with its fields and findings, and whether the leaf
/// is fit to deploy.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show certificates with their fields and findings; exit 0 when the leaf is fit to deploy.",
    discussion: """
      The first certificate of the first file is the leaf; every following certificate (in that file and \
      the next ones) is its chain, in order. The key comes from --key, or from a certificate file that \
      also holds one (lego's .pem).

      Exit status: 0 the leaf is fit to deploy as a TLS server certificate for the --domain names; \
      1 it is not, or a file could not be read (findings and errors are printed); 64 usage error.
      """
  )

  @Argument(help: "Certificate files (PEM bundles or DER): leaf first, then its chain.")
  var files: [String]

  @Option(help: "The private key file (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC) to match against the leaf.")
  var key: String?

  @Option(name: .customLong("domain"), help: "A domain the leaf must cover (repeatable).")
  var domains: [String] = []

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  @Option(name: .customLong("warn-days"), help: "Warn when the leaf expires within this many days.")
  var warnDays = 30

  @Option(name: .customLong("critical-days"), help: "Critical when the leaf expires within this many days.")
  var criticalDays = 7

  @Option(name: .customLong("now"), help: .hidden)
  var nowText: String?

  /// The Public Suffix List to judge wildcards with (tests); default: Debian's installed list.
  @Option(name: .customLong("public-suffix-list"), help: .hidden)
  var publicSuffixListPath: String?

  func validate() throws {
    try ExpiryWindowOptions.check(warnDays: warnDays, criticalDays: criticalDays, now: nowText)
    for domain in domains {
      guard !domain.isEmpty, !domain.contains(" ") else {
        throw ValidationError("--domain must be a host name, got '\(domain)'")
      }
      do {
        _ = try IDNA.toASCII(domain)
      } catch {
        throw ValidationError("--domain \(error)")
      }
    }
  }

  func run() throws {
    let now = nowText.flatMap(RFC3339.parse) ?? Date()
    let policy = CheckPolicy(warningDays: warnDays, criticalDays: criticalDays)
    let output = OutputSink(descriptor: 1)
    let loaded: InspectInput
    do {
      loaded = try InspectInput.load(files: files, keyPath: key)
    } catch {
      if json {
        output.write(InspectRenderer.errorJSON(String(describing: error)))
      } else {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      }
      output.flush()
      throw ExitCode(1)
    }
    let publicSuffixes = publicSuffixListPath.map { PublicSuffixList(path: $0) } ?? .system
    let findings = CertificateChecker.check(
      chain: loaded.certificates.map(\.certificate), key: loaded.key?.key, domains: domains, now: now, policy: policy,
      publicSuffixes: publicSuffixes)
    let deployable = CertificateChecker.isDeployable(findings)
    let result = InspectResult(
      input: loaded, domains: domains, findings: findings, deployable: deployable, now: now, policy: policy)
    if json {
      InspectRenderer.renderJSON(result, to: output)
    } else {
      let style = TerminalStyle(isTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment)
      InspectRenderer.renderText(result, style: style, to: output)
    }
    output.flush()
    if !deployable { throw ExitCode(1) }
  }
}
