import Foundation
import XCTest

@testable import CertHookCore

/// The run's memory of listener certificates: one read per listener, shared by concurrent readers; failures and
/// changes are never served from memory.
final class ListenerCertificateBookTests: XCTestCase {
  private let cert = CloudListenerCertificate(certificateId: "cert-1", isDefault: false, status: "Associated")

  func testConcurrentReadersOfOneListenerShareOneRead() async {
    let book = ListenerCertificateBook()
    let counter = ReadCounter()
    let cert = self.cert
    let results = await withTaskGroup(of: ListenerCertificateBook.Entry.self) { group in
      for _ in 0..<20 {
        group.addTask {
          await book.certificates(of: "lsr-1") {
            await counter.add()
            try? await Task.sleep(for: .milliseconds(20))
            return .success([cert])
          }
        }
      }
      var all: [ListenerCertificateBook.Entry] = []
      for await r in group { all.append(r) }
      return all
    }
    XCTAssertEqual(results.count, 20)
    let reads = await counter.value
    XCTAssertEqual(reads, 1)
    let again = await book.certificates(of: "lsr-1") { .success([]) }
    XCTAssertEqual(try? again.get(), [cert], "remembered for the rest of the run")
  }

  func testAFailedReadIsNotRemembered() async {
    let book = ListenerCertificateBook()
    let failed = await book.certificates(of: "lsr-1") { .failure(.cloud(code: "Throttling", message: "busy")) }
    XCTAssertNil(try? failed.get())
    let next = await book.certificates(of: "lsr-1") { [cert] in .success([cert]) }
    XCTAssertEqual(try? next.get(), [cert])
  }

  func testAChangeForgetsAndAReadStartedBeforeItCannotOverwriteWhatFollowed() async {
    let book = ListenerCertificateBook()
    let gate = Gate()
    let cert = self.cert
    // A planner starts reading the old state; meanwhile a change begins on the listener and its verification
    // records the new state. The old read's answer must not replace the new one.
    async let stale = book.certificates(of: "lsr-1") {
      await gate.wait()
      return .success([])
    }
    try? await Task.sleep(for: .milliseconds(20))
    await book.beginChange("lsr-1")
    await book.record([cert], of: "lsr-1")
    await gate.open()
    _ = await stale
    let now = await book.certificates(of: "lsr-1") { .success([]) }
    XCTAssertEqual(try? now.get(), [cert])
    await book.beginChange("lsr-1")
    await book.endChange("lsr-1")
    let reread = await book.certificates(of: "lsr-1") { .success([]) }
    XCTAssertEqual(try? reread.get(), [], "given up without an outcome: read again")
  }

  /// Issue 11 (scale): a plan that needs a sibling listener another deployment is changing waits for that
  /// change's verification instead of paying a read of its own.
  func testAReaderOfAListenerBeingChangedWaitsForTheVerifiedOutcome() async {
    let book = ListenerCertificateBook()
    let counter = ReadCounter()
    let cert = self.cert
    await book.beginChange("lsr-1")
    let reader = Task {
      await book.certificates(of: "lsr-1") {
        await counter.add()
        return .success([])
      }
    }
    while await book.readersWaiting(for: "lsr-1") == 0 { await Task.yield() }
    await book.record([cert], of: "lsr-1")
    let seen = await reader.value
    XCTAssertEqual(try? seen.get(), [cert])
    let reads = await counter.value
    XCTAssertEqual(reads, 0, "the verification read served the waiting planner")
  }

  func testAReaderWaitingForAChangeThatEndsWithoutAnOutcomeReadsTheListener() async {
    let book = ListenerCertificateBook()
    let cert = self.cert
    await book.beginChange("lsr-1")
    let reader = Task { await book.certificates(of: "lsr-1") { .success([cert]) } }
    while await book.readersWaiting(for: "lsr-1") == 0 { await Task.yield() }
    await book.endChange("lsr-1")
    let seen = await reader.value
    XCTAssertEqual(try? seen.get(), [cert])
    await book.endChange("lsr-1")
    let kept = await book.certificates(of: "lsr-1") { .success([]) }
    XCTAssertEqual(try? kept.get(), [cert], "ending twice forgets nothing that was read since")
  }
}

private actor ReadCounter {
  var value = 0
  func add() { value += 1 }
}

private actor Gate {
  private var waiters: [CheckedContinuation<Void, Never>] = []
  private var isOpen = false
  func wait() async {
    if isOpen { return }
    await withCheckedContinuation { waiters.append($0) }
  }
  func open() {
    isOpen = true
    for w in waiters { w.resume() }
    waiters = []
  }
}
