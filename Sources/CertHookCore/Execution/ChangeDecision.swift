import AlibabaCloud
import Foundation

/// The executor's retry rule for one listener change, as a pure function of the last answer: the client has
/// already repeated transport faults and throttling; what is left is decided here, once.
///
/// Bound: a change is sent at most `maxSends` times when the listener answers "busy" (the first send, then one
/// re-send per busy answer, each after the listener reported `Running` again). Each of those sends is one API
/// call, which the client repeats only for transport faults, throttling and server errors (at most
/// `RetryPolicy.maxAttempts` requests per call), so one change makes at most `maxSends` x 8 = 32 HTTP requests.
public enum ChangeDecision: Equatable, Sendable {
  /// Accepted: wait for these jobs; the change is then done.
  case waitForJobs([String])
  /// The API says the change is already in place (associated / not associated any more).
  case alreadyApplied
  /// The listener is busy with another change: wait until it is `Running`, then send again.
  case resendWhenRunning
  /// The association was refused because the load balancer's quota is full (`quota` when the answer named it).
  case quotaRefused(quota: Int?)
  /// Give up with this error.
  case fail(CertHookError)

  /// Most sends of one change (the first and three re-sends after busy answers).
  public static let maxSends = 4

  /// Decides after send number `sends` (1-based) of a `kind` change on `listenerId` answered `result`.
  public static func after(
    _ result: Result<[String], CertHookError>, kind: PlannedAction.Kind, sends: Int, listenerId: String
  ) -> ChangeDecision {
    let error: CertHookError
    switch result {
    case .success(let jobs): return .waitForJobs(jobs)
    case .failure(let e): error = e
    }
    switch ListenerAnswer.classify(error) {
    case .busy:
      if sends < maxSends { return .resendWhenRunning }
      return .fail(
        .cloud(
          code: error.apiCode,
          message:
            "\(listenerId): \(kind.rawValue) sent \(sends) times and the listener was busy every time (last answer: \(error.cloudError?.description ?? "\(error)"))"
        ))
    case .alreadyAssociated where kind == .associate, .notAssociated where kind == .dissociate:
      return .alreadyApplied
    case .quotaFull where kind == .associate:
      return .quotaRefused(quota: ListenerAnswer.reportedQuota(error))
    default:
      return .fail(error)
    }
  }
}

/// The one place where the executor recognises API answers by their code (the busy codes come from the client's
/// list, so a code is never listed twice).
public enum ListenerAnswer: Equatable, Sendable {
  /// Another change is still being applied to the listener (or the same ClientToken is being processed).
  case busy
  /// `ResourceAlreadyAssociated.*`.
  case alreadyAssociated
  /// `ResourceNotAssociated.*`.
  case notAssociated
  /// `ResourceQuotaExceeded.LoadBalancerCertificatesNum`, or another product's quota code of the answering action
  /// (`ApiAction.quotaCodes`, e.g. CLB's `QuotaExceeded.DomainExtension`).
  case quotaFull
  /// Anything else.
  case other

  /// The quota error code of ALB.
  public static let quotaCode = "ResourceQuotaExceeded.LoadBalancerCertificatesNum"

  /// Classifies an error by its API code.
  public static func classify(_ error: CertHookError) -> ListenerAnswer {
    guard let code = error.apiCode else { return .other }
    if RetryPolicy.busyCodes.contains(code) { return .busy }
    // ALB's code means its quota from any action (as before other products); the others' only from their rows.
    let answering = error.cloudError
    if code == quotaCode || ApiAction.isQuotaFull(code, action: answering?.action, product: answering?.product) {
      return .quotaFull
    }
    // NLB spells the resource in lower case (`ResourceAlreadyAssociated.certificate`).
    switch code.lowercased() {
    case "resourcealreadyassociated.certificate": return .alreadyAssociated
    case "resourcenotassociated.certificate": return .notAssociated
    default: return .other
    }
  }

  /// The quota named by a quota answer ("... usage 26/25."), when it names one.
  public static func reportedQuota(_ error: CertHookError) -> Int? {
    guard let message = error.apiMessage, let range = message.range(of: "usage ", options: .backwards) else {
      return nil
    }
    let rest = message[range.upperBound...]
    guard let slash = rest.firstIndex(of: "/") else { return nil }
    let digits = rest[rest.index(after: slash)...].prefix { $0.isNumber }
    return Int(digits)
  }
}
