import Dispatch
import Foundation

/// Scans files and directory trees for certificates, parsing on all cores.
///
/// The walk (``ScanWalker``) lists the files first; then `workers` threads take batches of files from a
/// shared cursor, read each file once, parse each certificate once and keep only its summary.
/// Results are put back in walk order, so output is deterministic whatever the scheduling.
public struct CertificateScanner: Sendable {
  /// Which files to visit.
  public var walker: ScanWalker
  /// Parsing threads; 0 means one per active processor.
  public var workers: Int
  /// Larger files are skipped when walked and reported when named explicitly.
  public var maxFileSize: Int

  /// Creates a scanner.
  public init(walker: ScanWalker = ScanWalker(), workers: Int = 0, maxFileSize: Int = 16 << 20) {
    self.walker = walker
    self.workers = workers
    self.maxFileSize = maxFileSize
  }

  /// Scans `paths` (files or directories) with statuses computed at `now` under `policy`.
  public func scan(_ paths: [String], now: Date, policy: CheckPolicy) -> ScanReport {
    let walk = walker.walk(paths)
    return scan(targets: walk.targets, walkFailures: walk.failures, now: now, policy: policy)
  }

  /// Reads and parses already-walked `targets`; `walkFailures` come first in the report's failures.
  public func scan(targets: [ScanTarget], walkFailures: [ScanFailure] = [], now: Date, policy: CheckPolicy)
    -> ScanReport
  {
    let threadCount = max(1, min(workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount, targets.count))
    let cursor = WorkCursor(total: targets.count, batch: 32)
    let collector = ResultCollector()
    let maxSize = maxFileSize
    DispatchQueue.concurrentPerform(iterations: threadCount) { _ in
      var local: [(Int, FileOutcome)] = []
      while let range = cursor.next() {
        for index in range {
          local.append((index, ScanFileParser.parse(targets[index], now: now, policy: policy, maxSize: maxSize)))
        }
      }
      collector.add(local)
    }
    let outcomes = collector.sortedOutcomes()

    var entries: [CertificateReportEntry] = []
    var failures = walkFailures
    var seenInGroup: [Int: Set<String>] = [:]
    entries.reserveCapacity(outcomes.count + outcomes.count / 4)
    for (index, outcome) in outcomes {
      switch outcome {
      case .certificates(let found):
        guard let group = targets[index].dedupeGroup else {
          entries.append(contentsOf: found)
          continue
        }
        for entry in found where seenInGroup[group, default: []].insert(entry.certificate.sha256).inserted {
          entries.append(entry)
        }
      case .failure(let failure):
        failures.append(failure)
      case .skipped:
        continue
      }
    }
    return ScanReport(entries: entries, failures: failures, filesRead: targets.count, now: now, policy: policy)
  }
}

/// What one file gave.
enum FileOutcome: Sendable {
  case certificates([CertificateReportEntry])
  case failure(ScanFailure)
  case skipped
}

/// Hands out consecutive index ranges to worker threads.
private final class WorkCursor: @unchecked Sendable {
  private let lock = NSLock()
  private var next_ = 0
  private let total: Int
  private let batch: Int

  init(total: Int, batch: Int) {
    self.total = total
    self.batch = batch
  }

  func next() -> Range<Int>? {
    lock.lock()
    defer { lock.unlock() }
    guard next_ < total else { return nil }
    let start = next_
    next_ = min(total, start + batch)
    return start..<next_
  }
}

/// Gathers each worker's results once, at its end.
private final class ResultCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var outcomes: [(Int, FileOutcome)] = []

  func add(_ more: [(Int, FileOutcome)]) {
    lock.lock()
    defer { lock.unlock() }
    outcomes.append(contentsOf: more)
  }

  func sortedOutcomes() -> [(Int, FileOutcome)] {
    lock.lock()
    defer { lock.unlock() }
    return outcomes.sorted { $0.0 < $1.0 }
  }
}
