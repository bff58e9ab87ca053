/// How far one account's planning may run ahead of its changes. Every session of the account (one per region in a
/// fleet run) takes its load balancers' listeners from one allowance before it reads them for planning and gives
/// them back when the load balancer's changes are done: a load balancer is planned only while fewer than `limit`
/// listeners are planned and not yet done, or when none is (so a load balancer larger than the limit still goes).
///
/// Why: a fleet's sessions planned every load balancer at once, 3,000 listing reads in the first two seconds on
/// a machine that also had to send the first writes and check them; an account writes only its limit per second,
/// so listeners planned seconds early only slowed the writes that could go now.
public actor PlanningAllowance {
  /// Listeners planned and not yet done, above which planning waits.
  public let limit: Int
  private var outstanding = 0
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// An allowance of `limit` listeners (at least 1).
  public init(limit: Int) {
    self.limit = max(1, limit)
  }

  /// Takes `count` listeners, first waiting while `limit` or more are out (unless none is).
  public func take(_ count: Int) async {
    while outstanding > 0, outstanding >= limit {
      await withCheckedContinuation { waiters.append($0) }
    }
    outstanding += count
  }

  /// Gives back `count` listeners and lets waiting planners look again.
  public func giveBack(_ count: Int) {
    outstanding = max(0, outstanding - count)
    let woken = waiters
    waiters = []
    woken.forEach { $0.resume() }
  }

  /// Listeners taken and not given back.
  var taken: Int { outstanding }
}
