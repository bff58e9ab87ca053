import Foundation

/// One API request as the emulator answered it (`GET /_emulator/requests`).
public struct RequestRecord: Codable, Sendable, Equatable {
  /// Arrival time.
  public var time: Date
  /// The action (empty when the request named none).
  public var action: String
  /// The HTTP status sent (0 when the connection was dropped before answering).
  public var status: Int
  /// The error code, nil on success.
  public var code: String?
  /// The `ListenerId` parameter, when present.
  public var listenerId: String?
  /// The `ClientToken` parameter, when present.
  public var clientToken: String?
  /// The injected fault: `throttle`, `unavailable`, `reset` or `slow`.
  public var fault: String?
  /// True when a ClientToken replay returned a stored answer without a change.
  public var replayed: Bool
  /// True for a DryRun request.
  public var dryRun: Bool
  /// `V3` or `V1`, when the request carried a signature.
  public var signatureVersion: String?
  /// The seed account whose world served the request, nil for the primary world.
  public var accountId: String?
  /// The product whose API answered (`alb`, `cas`, `sts`, `nlb`, `ga`, `slb`: the action table's name), nil when
  /// the action and version named none.
  public var product: String?
  /// The request as it arrived, only with `EmulatorConfiguration.recordWire`.
  public var wire: WireRecord?

  /// Creates a record.
  public init(
    time: Date, action: String, status: Int, code: String? = nil, listenerId: String? = nil,
    clientToken: String? = nil, fault: String? = nil, replayed: Bool = false, dryRun: Bool = false,
    signatureVersion: String? = nil
  ) {
    self.time = time
    self.action = action
    self.status = status
    self.code = code
    self.listenerId = listenerId
    self.clientToken = clientToken
    self.fault = fault
    self.replayed = replayed
    self.dryRun = dryRun
    self.signatureVersion = signatureVersion
  }
}
