import ArgumentParser
import CloudEmulator
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `certhook emulator`: serves a local ALB + CAS API until SIGINT or SIGTERM.
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "emulator",
    abstract: "Run a local Alibaba Cloud ALB + CAS API emulator (for tests and demos).",
    discussion: """
      Prints "listening on http://HOST:PORT" as its first line, then the fake access key(s) to sign with,
      and serves both APIs on that port until interrupted. See docs/emulator.md.
      """
  )

  @Option(name: .long, help: "Address to listen on, HOST:PORT (port 0 picks a free port).")
  var listen: String = "127.0.0.1:0"

  @Option(name: .long, help: "Seed file (YAML or JSON): access keys, load balancers, listeners, certificates.")
  var seed: String?

  @Option(name: .long, help: "State file to persist to and reload from (written atomically, mode 0600).")
  var state: String?

  @Option(name: .long, help: "Milliseconds added to every API response.")
  var latency: Int = 0

  @Option(name: .customLong("job-delay"), help: "Milliseconds an asynchronous ALB job takes.")
  var jobDelay: Int = 1000

  @Option(name: .customLong("rate-limit"), help: "Limit of every mutating operation, N/Ts (e.g. 5/1s).")
  var rateLimit: String?

  @Option(name: .long, help: "Fault injection, e.g. throttle=0.1,unavailable=0.05,reset=0.05,slow=0.05:2000.")
  var faults: String?

  @Option(name: .customLong("fault-seed"), help: "Seed of the deterministic fault generator.")
  var faultSeed: UInt64 = 1

  @Flag(
    name: .customLong("record-wire"),
    help: "Keep every request as it arrived in /_emulator/requests (signatures, tokens, keys: fake keys only).")
  var recordWire = false

  @Flag(
    name: .customLong("serve-tls"),
    help: "Terminate TLS for every HTTPS/QUIC listener: load balancer N (seed order) at 127.0.1.N:PORT.")
  var serveTLS = false

  @Option(name: .customLong("tls-port-offset"), help: "Added to every listener port with --serve-tls (443 needs root).")
  var tlsPortOffset: Int = 0

  @Option(
    name: .customLong("sts-lifetime"),
    help: "Seconds every issued STS credential lives, whatever DurationSeconds asked (for refresh tests).")
  var stsLifetime: Int?

  func validate() throws {
    if let stsLifetime, !(1...43200).contains(stsLifetime) {
      throw ValidationError("--sts-lifetime must be between 1 and 43200 seconds")
    }
    guard latency >= 0 else { throw ValidationError("--latency must be 0 or more milliseconds") }
    guard jobDelay >= 0 else { throw ValidationError("--job-delay must be 0 or more milliseconds") }
    guard (-65535...65535).contains(tlsPortOffset) else {
      throw ValidationError("--tls-port-offset must be between -65535 and 65535")
    }
    _ = try parsedListen()
    if let rateLimit {
      do { _ = try RateLimitOverride.parse(rateLimit) } catch { throw ValidationError("--rate-limit: \(error)") }
    }
    if let faults {
      do { _ = try FaultSpec.parse(faults) } catch { throw ValidationError("--faults: \(error)") }
    }
  }

  private func parsedListen() throws -> (host: String, port: Int) {
    guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
      (0...65535).contains(port)
    else {
      throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free port)")
    }
    var host = String(listen[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { throw ValidationError("--listen must name a host, e.g. 127.0.0.1:\(port)") }
    return (host, port)
  }

  func run() async throws {
    let (host, port) = try parsedListen()
    var config = EmulatorConfiguration(host: host, port: port)
    do {
      if let seed { config.seed = try EmulatorSeed.load(path: seed) }
      if let rateLimit { config.rateLimit = try RateLimitOverride.parse(rateLimit) }
      if let faults { config.faults = try FaultSpec.parse(faults) }
    } catch {
      throw ValidationError("\(error)")
    }
    config.latency = .milliseconds(latency)
    config.jobDelay = .milliseconds(jobDelay)
    config.faultSeed = faultSeed
    config.statePath = state
    config.recordWire = recordWire
    config.serveTLS = serveTLS
    config.tlsPortOffset = tlsPortOffset
    config.stsCredentialLifetime = stsLifetime.map { .seconds($0) }

    let signals = SignalWaiter()
    let server: EmulatorServer
    do {
      server = try await EmulatorServer.start(config)
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
    // The keys are the emulator's own fake test keys (the default testid/testsecret or the ones the
    // user wrote into the seed file), printed so clients can sign with them.
    var lines = ["listening on \(server.endpoint.absoluteString)", "region: \(config.seed.region)"]
    for key in config.seed.accessKeys {
      lines.append("access key id: \(key.id)")
      lines.append("access key secret: \(key.secret)")
      if let token = key.securityToken { lines.append("security token: \(token)") }
    }
    if serveTLS {
      let snapshot = await server.state()
      for lb in snapshot.loadBalancers {
        for l in lb.listeners {
          guard let endpoint = l.tlsEndpoint else { continue }
          lines.append("tls: \(l.id) \(lb.dnsName ?? lb.id) at \(endpoint)")
        }
      }
    }
    lines.append(
      "state: \(server.endpoint.absoluteString)/_emulator/state  events: \(server.endpoint.absoluteString)/_emulator/events"
    )
    FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    let signal = await signals.wait()
    await server.stop()
    FileHandle.standardOutput.write(Data("stopped (\(signal))\n".utf8))
  }
}

extension EmulatorCommand {
  /// Waits for the first SIGINT or SIGTERM.
  final class SignalWaiter {
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<String>

    init() {
      let (stream, continuation) = AsyncStream<String>.makeStream()
      self.stream = stream
      var sources: [any DispatchSourceSignal] = []
      for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { continuation.yield(name) }
        source.resume()
        sources.append(source)
      }
      self.sources = sources
    }

    func wait() async -> String {
      for await name in stream {
        return name
      }
      return "end"
    }

    deinit {
      for source in sources { source.cancel() }
    }
  }
}
