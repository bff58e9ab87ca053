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
  /// Larger files are skipped when walked and reported when named explicitly (default: the limit every
  /// command shares, ``CertificateFile/maxBytes``).
  public var maxFileSize: Int

  /// Creates a scanner.
  public init(walker: ScanWalker = ScanWalker(), workers: Int = 0, maxFileSize: Int = CertificateFile.maxBytes) {
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

  /// Scans `paths` and hands each result to `consumer` on the calling thread, in walk order; returns how many
  /// files were read. The walk runs on its own thread while the workers parse, and nothing is kept, so memory
  /// stays bounded on any tree.
  @discardableResult
  public func stream(_ paths: [String], now: Date, policy: CheckPolicy, into consumer: (ScanEvent) -> Void) -> Int {
    let pipeline = OrderedPipeline(window: 256)
    let walker = self.walker
    let batchSize = 16
    let producer = Thread {
      var batch: [ScanWalkItem] = []
      batch.reserveCapacity(batchSize)
      walker.walk(paths) { item in
        batch.append(item)
        if batch.count == batchSize {
          pipeline.produce(batch)
          batch.removeAll(keepingCapacity: true)
        }
      }
      if !batch.isEmpty { pipeline.produce(batch) }
      pipeline.finish()
    }
    producer.start()
    return consume(pipeline, now: now, policy: policy, into: consumer)
  }

  /// Reads and parses already-walked `targets`, handing results to `consumer` in order; returns how many
  /// files were read.
  @discardableResult
  public func stream(targets: [ScanTarget], now: Date, policy: CheckPolicy, into consumer: (ScanEvent) -> Void)
    -> Int
  {
    let pipeline = OrderedPipeline(window: Int.max)
    var start = 0
    while start < targets.count {
      let end = min(targets.count, start + 16)
      pipeline.produce(targets[start..<end].map { ScanWalkItem.target($0) })
      start = end
    }
    pipeline.finish()
    return consume(pipeline, now: now, policy: policy, into: consumer)
  }

  private func consume(
    _ pipeline: OrderedPipeline, now: Date, policy: CheckPolicy, into consumer: (ScanEvent) -> Void
  ) -> Int {
    let threadCount = max(1, workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount)
    let maxSize = maxFileSize
    for _ in 0..<threadCount {
      let thread = Thread {
        while let batch = pipeline.take() {
          var outcomes: [FileOutcome] = []
          outcomes.reserveCapacity(batch.items.count)
          for item in batch.items {
            switch item {
            case .target(let target):
              outcomes.append(ScanFileParser.parse(target, now: now, policy: policy, maxSize: maxSize))
            case .failure(let failure):
              outcomes.append(.walkFailure(failure))
            }
          }
          pipeline.deliver(batch.number, outcomes)
        }
      }
      thread.stackSize = 1 << 20
      thread.start()
    }

    var filesRead = 0
    var seenInGroup: (group: Int, fingerprints: Set<String>)?
    while let outcomes = pipeline.next() {
      for outcome in outcomes {
        switch outcome {
        case .certificates(let found, let group):
          filesRead += 1
          guard let group else {
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
          filesRead += 1
          consumer(.failure(failure))
        case .walkFailure(let failure):
          consumer(.failure(failure))
        case .skipped:
          filesRead += 1
        }
      }
    }
    return filesRead
  }
}

/// What one file gave.
enum FileOutcome: Sendable {
  /// A file's certificates, with the file's dedupe group.
  case certificates([CertificateReportEntry], group: Int?)
  /// A file that could not be read or parsed.
  case failure(ScanFailure)
  /// A path the walk could not enter (not a file read).
  case walkFailure(ScanFailure)
  /// A file that holds no certificate and was not named explicitly.
  case skipped
}
