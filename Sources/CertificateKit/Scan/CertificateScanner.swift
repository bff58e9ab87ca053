import Foundation

/// Scans files and directory trees for certificates, parsing on all cores.
///
/// The walk (``ScanWalker``) lists the files first; then `workers` threads take batches of files in walk
/// order, read each file once, parse each certificate once and keep only its summary. The calling thread
/// receives the results in walk order while the workers go on (so rendering overlaps parsing), and at most
/// a bounded window of batches is in flight: memory does not grow with the tree when streaming.
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

  /// Scans `paths` (files or directories) with statuses computed at `now` under `policy`, keeping every entry.
  public func scan(_ paths: [String], now: Date, policy: CheckPolicy) -> ScanReport {
    var entries: [CertificateReportEntry] = []
    var failures: [ScanFailure] = []
    let filesRead = stream(paths, now: now, policy: policy) { event in
      switch event {
      case .certificates(let found): entries.append(contentsOf: found)
      case .failure(let failure): failures.append(failure)
      }
    }
    return ScanReport(entries: entries, failures: failures, filesRead: filesRead, now: now, policy: policy)
  }

  /// Scans `paths` and hands each result to `consumer` on the calling thread, in walk order (walk failures
  /// first); returns how many files were read. Nothing is kept, so memory stays bounded on any tree.
  @discardableResult
  public func stream(_ paths: [String], now: Date, policy: CheckPolicy, into consumer: (ScanEvent) -> Void) -> Int {
    let walk = walker.walk(paths)
    for failure in walk.failures { consumer(.failure(failure)) }
    stream(targets: walk.targets, now: now, policy: policy, into: consumer)
    return walk.targets.count
  }

  /// Reads and parses already-walked `targets`, handing results to `consumer` in order.
  public func stream(targets: [ScanTarget], now: Date, policy: CheckPolicy, into consumer: (ScanEvent) -> Void) {
    guard !targets.isEmpty else { return }
    let batchSize = 16
    let pipeline = OrderedPipeline(batches: (targets.count + batchSize - 1) / batchSize, window: 256)
    let threadCount = max(1, min(workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount, pipeline.batches))
    let maxSize = maxFileSize
    for _ in 0..<threadCount {
      let thread = Thread {
        while let batch = pipeline.take() {
          let range = (batch * batchSize)..<min(targets.count, (batch + 1) * batchSize)
          var outcomes: [FileOutcome] = []
          outcomes.reserveCapacity(range.count)
          for index in range {
            outcomes.append(ScanFileParser.parse(targets[index], now: now, policy: policy, maxSize: maxSize))
          }
          pipeline.deliver(batch, outcomes)
        }
      }
      thread.stackSize = 1 << 20
      thread.start()
    }

    var seenInGroup: (group: Int, fingerprints: Set<String>)?
    var batch = 0
    while let outcomes = pipeline.next() {
      for (offset, outcome) in outcomes.enumerated() {
        switch outcome {
        case .certificates(let found):
          guard let group = targets[batch * batchSize + offset].dedupeGroup else {
            consumer(.certificates(found))
            continue
          }
          // A certbot lineage lists the same certificates in cert.pem, chain.pem and fullchain.pem.
          if seenInGroup?.group != group { seenInGroup = (group, []) }
          var unique: [CertificateReportEntry] = []
          for entry in found where seenInGroup?.fingerprints.insert(entry.certificate.sha256).inserted == true {
            unique.append(entry)
          }
          if !unique.isEmpty { consumer(.certificates(unique)) }
        case .failure(let failure):
          consumer(.failure(failure))
        case .skipped:
          continue
        }
      }
      batch += 1
    }
  }
}

/// What one file gave.
enum FileOutcome: Sendable {
  case certificates([CertificateReportEntry])
  case failure(ScanFailure)
  case skipped
}
