import ArgumentParser
import CertHookCore
import CertificateKit
import Foundation

/// Where handshakes go and what they trust: shared by `probe` and `audit --probe`.
struct ProbeOptions: ParsableArguments {
  @Option(name: .customLong("resolve"), help: "HOST:ADDRESS: connect to ADDRESS for HOST (repeatable), like curl's.")
  var resolve: [String] = []

  @Option(name: .customLong("port-offset"), help: "Added to every listener port (the emulator's --tls-port-offset).")
  var portOffset = 0

  @Option(name: .customLong("ca-file"), help: "PEM file of trusted roots (default: the system store).")
  var caFile: String?

  @Option(name: .customLong("probe-timeout"), help: "Seconds one handshake may take, connect included (0.1-60).")
  var timeout = 5.0

  func validate() throws {
    guard (-65535...65535).contains(portOffset) else { throw ValidationError("--port-offset must be between -65535 and 65535") }
    guard timeout >= 0.1, timeout <= 60 else { throw ValidationError("--probe-timeout must be between 0.1 and 60 seconds") }
    do { _ = try ProbeResolution.parse(resolve, portOffset: portOffset) } catch { throw ValidationError("\(error)") }
    if let caFile {
      do { try TrustEvaluator(roots: .file(caFile)).checkRoots() } catch { throw ValidationError("--ca-file: \(error)") }
    }
  }

  /// A runner over the command's context; throws when the backend cannot name DNS names.
  func runner(_ context: RunnerContext) throws -> ProbeRunner {
    guard let directory = context.backend as? any LoadBalancerDirectory else {
      throw CertHookError.configuration(path: "probe", message: "this cloud backend cannot name load balancer DNS names")
    }
    return ProbeRunner(
      context: context, directory: directory, trust: TrustEvaluator(roots: caFile.map { .file($0) } ?? .system),
      resolution: try ProbeResolution.parse(resolve, portOffset: portOffset),
      timeout: .milliseconds(Int64(timeout * 1000)))
  }
}
