import Foundation

/// Rotation in waves under a load balancer's additional-certificate quota, as a pure state machine: it is told
/// what happened and answers which listeners to start or fail; it never calls the cloud.
///
/// The rule it keeps: the load balancer's usage never exceeds its quota. Make-before-break holds one extra slot
/// per listener while it rotates (associate the new certificate, verify, dissociate the old one), so listeners
/// start only while free slots remain, and each finished listener returns its slot for the next wave. When the
/// quota is tight, listeners that retire expired superseded certificates do that first and need no slot. When
/// the quota is known (configured, or reported by the API) and the end state does not fit, every listener fails
/// before anything changes, naming the quota, the true usage and what would be needed.
public struct RotationScheduler: Sendable {
  /// One listener's rotation, as far as the quota is concerned.
  public struct Item: Equatable, Sendable {
    /// The listener.
    public var listenerId: String
    /// Additional certificates it associates.
    public var adds: Int
    /// Additional certificates it dissociates (expired ones included).
    public var removes: Int
    /// Of `removes`, expired ones: retired before associating when the quota is tight.
    public var expired: Int

    /// Creates an item.
    public init(listenerId: String, adds: Int, removes: Int, expired: Int = 0) {
      self.listenerId = listenerId
      self.adds = adds
      self.removes = removes
      self.expired = expired
    }

    /// The item a listener plan asks for.
    public init(_ plan: ListenerPlan) {
      self.init(
        listenerId: plan.listenerId,
        adds: plan.actions.filter { $0.kind == .associate }.reduce(0) { $0 + $1.certificateIds.count },
        removes: plan.actions.filter { $0.kind == .dissociate }.reduce(0) { $0 + $1.certificateIds.count },
        expired: plan.quotaRetirable.count)
    }
  }

  /// What is known of the quota.
  public enum Quota: Equatable, Sendable {
    /// Configured or reported by the API: never exceeded, and the end state is checked against it.
    case known(Int)
    /// Not known: the edition default is assumed for pacing only; when nothing can start, one listener probes.
    case assumed(Int)

    /// The number of slots.
    public var value: Int {
      switch self {
      case .known(let n), .assumed(let n): return n
      }
    }
  }

  /// How a started listener ended.
  public enum Completion: Equatable, Sendable {
    /// Every planned action was done.
    case applied
    /// It failed; `changed` when some of its actions were already applied.
    case failed(changed: Bool)
    /// The API refused its association for the quota before anything changed on it; `quota` when the answer
    /// named it (`usage 26/25`).
    case refusedByQuota(quota: Int?)
  }

  /// Why listeners cannot rotate within the quota.
  public struct Shortfall: Equatable, Sendable {
    /// The load balancer.
    public var loadBalancerId: String
    /// Its quota.
    public var quota: Int
    /// Its additional certificates now (as observed and changed by this run).
    public var usage: Int
    /// What the rotation would need: the end state's usage, or the usage while one more listener rotates.
    public var needed: Int
    /// A lowercase explanation.
    public var detail: String
  }

  /// What to do next.
  public enum Action: Equatable, Sendable {
    /// Start these listeners now (in this order).
    case start([String])
    /// Fail these listeners without changing them.
    case fail([String], Shortfall)
  }

  /// The edition default assumed when the quota is not known (ALB Standard; Basic is 10).
  public static let assumedQuota = 25
  /// How often one listener may be refused for the quota and queued again before it fails.
  public static let maxRequeues = 3

  /// The load balancer.
  public let loadBalancerId: String
  /// What is known of its quota.
  public private(set) var quota: Quota
  /// Usage without the slots running listeners hold.
  public private(set) var usage: Int
  /// Slots held by running listeners.
  public private(set) var held: [String: Int] = [:]
  /// Listeners waiting for a slot, in start order.
  public private(set) var queue: [Item]
  /// True when the free slots did not cover every association: expired certificates are then retired first.
  public private(set) var tight = false
  private var items: [String: Item] = [:]
  private var requeues: [String: Int] = [:]

  /// Creates a scheduler for one load balancer: its quota (nil = not known), its current usage and the
  /// listeners to rotate.
  public init(loadBalancerId: String, quota: Int?, usage: Int, items: [Item]) {
    self.loadBalancerId = loadBalancerId
    self.quota = quota.map { .known($0) } ?? .assumed(max(Self.assumedQuota, usage + 1))
    self.usage = usage
    self.queue = items
    for item in items { self.items[item.listenerId] = item }
    reorder()
  }

  /// Free slots now (negative when the load balancer is already over its quota).
  public var free: Int { quota.value - usage - held.values.reduce(0, +) }

  /// Whether `listenerId` retires its expired certificates before associating (the executor asks when it starts it).
  public func retiresExpiredFirst(_ listenerId: String) -> Bool {
    tight && (items[listenerId]?.expired ?? 0) > 0
  }

  /// Slots a listener holds while it rotates.
  public func peak(_ item: Item) -> Int {
    tight && item.expired > 0 ? max(0, item.adds - item.expired) : item.adds
  }

  /// The first actions: fail everything when a known quota cannot hold the end state, else start the first wave.
  public mutating func begin() -> [Action] {
    if let shortfall = endStateShortfall() { return failAll(shortfall) }
    return schedule()
  }

  /// Records how a started listener ended and answers what to do next.
  public mutating func completed(_ listenerId: String, _ completion: Completion) -> [Action] {
    let holding = held.removeValue(forKey: listenerId) ?? 0
    guard let item = items[listenerId] else { return schedule() }
    switch completion {
    case .applied:
      usage += item.adds - item.removes
    case .failed(let changed):
      // Unknown end state: count the new certificates as attached and the old ones as still there.
      if changed { usage += max(holding, item.adds) }
    case .refusedByQuota(let reported):
      if let reported { quota = .known(reported) }
      let count = (requeues[listenerId] ?? 0) + 1
      requeues[listenerId] = count
      queue.append(item)
      updateTightness()
      reorder()
      if count > Self.maxRequeues {
        queue.removeAll { $0.listenerId == listenerId }
        return [.fail([listenerId], shortfall(needed: usage + held.values.reduce(0, +) + item.adds, detail: "refused \(count) times although slots seemed free (another client is using them?)"))]
          + schedule()
      }
      if let shortfall = endStateShortfall() { return failAll(shortfall) }
    }
    return schedule()
  }

  /// The waves a run would take if every listener succeeded (for plans and dry runs), and the listeners that
  /// would fail for the quota.
  public static func preview(loadBalancerId: String, quota: Int?, usage: Int, items: [Item]) -> (
    waves: [[String]], failed: [String], shortfall: Shortfall?
  ) {
    var scheduler = RotationScheduler(loadBalancerId: loadBalancerId, quota: quota, usage: usage, items: items)
    var waves: [[String]] = []
    var failed: [String] = []
    var shortfall: Shortfall?
    var actions = scheduler.begin()
    while !actions.isEmpty {
      var wave: [String] = []
      for action in actions {
        switch action {
        case .start(let ids): wave += ids
        case .fail(let ids, let s):
          failed += ids
          shortfall = shortfall ?? s
        }
      }
      if wave.isEmpty { break }
      waves.append(wave)
      actions = []
      for id in wave { actions += scheduler.completed(id, .applied) }
    }
    return (waves, failed, shortfall)
  }

  // MARK: - deciding

  private mutating func schedule() -> [Action] {
    var started: [String] = []
    var waiting: [Item] = []
    for item in queue {
      let need = peak(item)
      // A listener that adds nothing never raises the usage: it may always start (also over the quota).
      if need == 0 || need <= free {
        held[item.listenerId] = need
        started.append(item.listenerId)
      } else {
        waiting.append(item)
      }
    }
    queue = waiting
    if started.isEmpty, held.isEmpty, let head = queue.first {
      switch quota {
      case .assumed:
        // The quota is a guess: let one listener find out (the API names the quota if it refuses).
        queue.removeFirst()
        held[head.listenerId] = peak(head)
        started.append(head.listenerId)
      case .known(let q):
        let need = peak(head)
        return failAll(
          shortfall(
            needed: usage + need,
            detail: "make-before-break needs \(need) free slot(s) per rotating listener and \(max(0, q - usage)) are free"
          ))
      }
    }
    return started.isEmpty ? [] : [.start(started)]
  }

  private func endStateShortfall() -> Shortfall? {
    guard case .known(let q) = quota, queue.contains(where: { $0.adds > 0 }) else { return nil }
    let pending = queue.reduce(0) { $0 + $1.adds - $1.removes }
    let running = held.keys.reduce(0) { sum, id in sum + (items[id].map { $0.adds - $0.removes } ?? 0) }
    let end = usage + running + pending
    guard end > q else { return nil }
    return shortfall(
      needed: end, detail: "the rotated end state needs \(end) additional certificates, \(end - q) more than the quota")
  }

  private func shortfall(needed: Int, detail: String) -> Shortfall {
    Shortfall(loadBalancerId: loadBalancerId, quota: quota.value, usage: usage, needed: needed, detail: detail)
  }

  /// Fails every queued listener that would add a certificate; the others (pure retirements) still start.
  private mutating func failAll(_ shortfall: Shortfall) -> [Action] {
    let ids = queue.filter { $0.adds > 0 }.map(\.listenerId)
    queue.removeAll { $0.adds > 0 }
    let failed: [Action] = ids.isEmpty ? [] : [.fail(ids, shortfall)]
    return failed + (queue.isEmpty ? [] : schedule())
  }

  private mutating func updateTightness() {
    let wanted = queue.reduce(0) { $0 + $1.adds } + held.values.reduce(0, +)
    tight = tight || quota.value - usage < wanted
  }

  /// Listeners that free slots (or need none) first, then the rest by listener ID.
  private mutating func reorder() {
    if !tight { updateTightness() }
    let tight = self.tight
    queue.sort { a, b in
      let pa = tight && a.expired > 0 ? max(0, a.adds - a.expired) : a.adds
      let pb = tight && b.expired > 0 ? max(0, b.adds - b.expired) : b.adds
      return (pa, a.listenerId) < (pb, b.listenerId)
    }
  }
}
