import ArgumentParser
import CertHookCore
import Foundation

/// `certhook upload`: map a certificate file to its CAS identity, uploading it only when CAS lacks it.
struct UploadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "upload",
    abstract: "Print the CAS CertIdentifier of a certificate file, uploading it only if CAS does not have it yet.",
    discussion: """
      The certificate is inspected first and refused (no API call) when it is expired, not yet valid, not for \
      server authentication or does not match its key. CAS is searched by the leaf's SHA-256 before uploading.

      Exit status: 0 printed; 1 an API error; 2 the certificate was refused or unreadable; 64 usage or \
      configuration error.
      """)

  @Argument(help: "Certificate file (leaf, or leaf followed by its chain).")
  var cert: String

  @Option(help: "Private key file.")
  var key: String

  @Option(help: "Chain file (intermediates), when not in the certificate file.")
  var chain: String?

  @Flag(name: .customLong("dry-run"), help: "Look the certificate up but upload nothing.")
  var dryRun = false

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func run() async throws {
    let mapped: MappedCertificate
    do {
      mapped = try await LifecycleSession.with(
        cloud: cloud, options: lifecycle, requireConfiguration: false, trapsSignals: false
      ) { run in
        try await UploadRunner(context: run.context).run(certificatePath: cert, keyPath: key, chainPath: chain, dryRun: dryRun)
      }
    } catch {
      throw LifecycleExit.fail(error, json: json)
    }
    if json {
      LifecycleJSON.print(LifecycleDocument(command: "upload", exitCode: 0, result: mapped))
      return
    }
    if mapped.pendingUpload {
      Diagnostics.line("dry run: CAS does not have \(cert) yet; it would be uploaded as \(mapped.name)")
    } else if mapped.wasUploaded {
      Diagnostics.line("uploaded \(cert) as \(mapped.name)")
    }
    FileHandle.standardOutput.write(Data((mapped.identifier + "\n").utf8))
  }
}
