import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// ALB: listener reads, association jobs and every error of the seed operation.
final class ALBTests: XCTestCase {
  static let https = "lsr-emulator-443"

  func start(seed: EmulatorSeed = .default) async throws -> EmulatorHarness {
    let harness = try await EmulatorHarness.start(seed: seed)
    addTeardownBlock { await harness.stop() }
    return harness
  }

  func certParams(_ ids: [String]) -> [(String, String)] {
    ids.enumerated().map { ("Certificates.\($0.offset + 1).CertificateId", $0.element) }
  }

  func associate(_ h: EmulatorHarness, _ ids: [String], listener: String = https, extra: [(String, String)] = [])
    async throws -> Reply
  {
    try await h.call(
      "AssociateAdditionalCertificatesWithListener", [("ListenerId", listener)] + certParams(ids) + extra)
  }

  func dissociate(_ h: EmulatorHarness, _ ids: [String], listener: String = https, extra: [(String, String)] = [])
    async throws -> Reply
  {
    try await h.call(
      "DissociateAdditionalCertificatesFromListener", [("ListenerId", listener)] + certParams(ids) + extra)
  }

  func listenerStatus(_ h: EmulatorHarness, _ id: String = https) async throws -> String? {
    try await h.call("GetListenerAttribute", [("ListenerId", id)]).string("ListenerStatus")
  }

  func certificates(_ h: EmulatorHarness, _ id: String = https) async throws -> [[String: Any]] {
    try await h.call("ListListenerCertificates", [("ListenerId", id)]).array("Certificates")
  }

  func testListListenersPagingAndFilters() async throws {
    let h = try await start()
    let first = try await h.call("ListListeners", [("MaxResults", "2")])
    XCTAssertEqual(first.status, 200, first.message)
    XCTAssertEqual(first.array("Listeners").count, 2)
    XCTAssertEqual(first.int("TotalCount"), 3)
    XCTAssertEqual(first.int("MaxResults"), 2)
    let token = try XCTUnwrap(first.string("NextToken"))
    XCTAssertFalse(token.isEmpty)
    let second = try await h.call("ListListeners", [("MaxResults", "2"), ("NextToken", token)])
    XCTAssertEqual(second.array("Listeners").count, 1)
    XCTAssertEqual(second.string("NextToken"), "")
    let ids = (first.array("Listeners") + second.array("Listeners")).compactMap { $0["ListenerId"] as? String }
    XCTAssertEqual(Set(ids), ["lsr-emulator-443", "lsr-emulator-quic", "lsr-emulator-80"])
    let https = try await h.call(
      "ListListeners", [("ListenerProtocol", "HTTPS"), ("LoadBalancerIds.1", "alb-emulator01")])
    XCTAssertEqual(https.array("Listeners").compactMap { $0["ListenerId"] as? String }, ["lsr-emulator-443"])
    let l = try XCTUnwrap(https.array("Listeners").first)
    XCTAssertEqual(l["ListenerPort"] as? Int, 443)
    XCTAssertEqual(l["ListenerStatus"] as? String, "Running")
    XCTAssertEqual(l["LoadBalancerId"] as? String, "alb-emulator01")
    let none = try await h.call("ListListeners", [("LoadBalancerIds.1", "alb-other")])
    XCTAssertEqual(none.int("TotalCount"), 0)
    let badToken = try await h.call("ListListeners", [("NextToken", "garbage")])
    XCTAssertEqual(badToken.status, 400)
    let badMax = try await h.call("ListListeners", [("MaxResults", "101")])
    XCTAssertEqual(badMax.code, "InvalidParameter")
  }

  func testGetListenerAttributeAndDefaultCertificate() async throws {
    let h = try await start()
    let attr = try await h.call("GetListenerAttribute", [("ListenerId", ALBTests.https)])
    XCTAssertEqual(attr.string("ListenerProtocol"), "HTTPS")
    let certs = attr.array("Certificates")
    XCTAssertEqual(certs.count, 1)
    let defaultId = try XCTUnwrap(certs.first?["CertificateId"] as? String)
    XCTAssertTrue(defaultId.hasSuffix("-cn-hangzhou"))
    // The generated default is a real CAS entry.
    let detail = try await h.call(
      "GetUserCertificateDetail", [("CertId", String(defaultId.dropLast("-cn-hangzhou".count)))])
    XCTAssertEqual(detail.string("CertIdentifier"), defaultId)
    let listed = try await certificates(h)
    XCTAssertEqual(listed.count, 1)
    XCTAssertEqual(listed.first?["IsDefault"] as? Bool, true)
    XCTAssertEqual(listed.first?["Status"] as? String, "Associated")
    let http = try await h.call("GetListenerAttribute", [("ListenerId", "lsr-emulator-80")])
    XCTAssertEqual(http.array("Certificates").count, 0)
    let missing = try await h.call("GetListenerAttribute", [("ListenerId", "lsr-nope")])
    XCTAssertEqual(missing.status, 404)
    XCTAssertEqual(missing.code, "ResourceNotFound.Listener")
  }

  func testAssociateAndDissociateJobLifecycle() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.test"])
    let b = try await h.upload(name: "b", domains: ["b.example.test"])
    let reply = try await associate(h, [a.identifier, b.identifier])
    XCTAssertEqual(reply.status, 200, reply.message)
    let jobId = try XCTUnwrap(reply.string("JobId"))
    var status = try await listenerStatus(h)
    XCTAssertEqual(status, "Configuring")
    var listed = try await certificates(h)
    XCTAssertEqual(
      listed.filter { ($0["IsDefault"] as? Bool) == false }.compactMap { $0["Status"] as? String },
      ["Associating", "Associating"])
    var jobs = try await h.call("ListAsynJobs", [("JobIds.1", jobId)])
    XCTAssertEqual(jobs.array("Jobs").first?["Status"] as? String, "Processing")
    XCTAssertEqual(jobs.array("Jobs").first?["ResourceId"] as? String, ALBTests.https)

    // A change while Configuring is refused.
    let c = try await h.upload(name: "c", domains: ["c.example.test"])
    let busy = try await associate(h, [c.identifier])
    XCTAssertEqual(busy.status, 400)
    XCTAssertEqual(busy.code, "IncorrectStatus.Listener")
    XCTAssertEqual(busy.message, "The status of lsr-emulator-443 [Configuring] is incorrect.")

    h.finishJobs()
    status = try await listenerStatus(h)
    XCTAssertEqual(status, "Running")
    listed = try await certificates(h)
    XCTAssertEqual(listed.count, 3)
    XCTAssertEqual(
      listed.filter { ($0["IsDefault"] as? Bool) == false }.compactMap { $0["Status"] as? String },
      ["Associated", "Associated"])
    jobs = try await h.call("ListAsynJobs", [("JobIds.1", jobId)])
    XCTAssertEqual(jobs.array("Jobs").first?["Status"] as? String, "Succeeded")

    let paged = try await h.call("ListListenerCertificates", [("ListenerId", ALBTests.https), ("MaxResults", "2")])
    XCTAssertEqual(paged.array("Certificates").count, 2)
    XCTAssertEqual(paged.int("TotalCount"), 3)
    let rest = try await h.call(
      "ListListenerCertificates",
      [("ListenerId", ALBTests.https), ("MaxResults", "2"), ("NextToken", paged.string("NextToken") ?? "")])
    XCTAssertEqual(rest.array("Certificates").count, 1)
    XCTAssertEqual(rest.string("NextToken"), "")

    let off = try await dissociate(h, [a.identifier])
    XCTAssertEqual(off.status, 200, off.message)
    listed = try await certificates(h)
    XCTAssertEqual(
      listed.first { ($0["CertificateId"] as? String) == a.identifier }?["Status"] as? String, "Diassociating")
    h.finishJobs()
    listed = try await certificates(h)
    XCTAssertEqual(listed.compactMap { $0["CertificateId"] as? String }.contains(a.identifier), false)
    XCTAssertEqual(listed.count, 2)
  }

  func testAssociateErrors() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.test"])
    let notFound = try await associate(h, ["424242-cn-hangzhou"])
    XCTAssertEqual(notFound.status, 404)
    XCTAssertEqual(notFound.code, "ResourceNotFound.Certificate")
    let stripped = try await associate(h, [String(a.certId)])
    XCTAssertEqual(stripped.code, "ResourceNotFound.Certificate", "an id without its region suffix names nothing")
    let http = try await associate(h, [a.identifier], listener: "lsr-emulator-80")
    XCTAssertEqual(http.status, 400)
    XCTAssertEqual(http.code, "OperationDenied.ListenerProtocol")
    let unknownListener = try await associate(h, [a.identifier], listener: "lsr-nope")
    XCTAssertEqual(unknownListener.code, "ResourceNotFound.Listener")
    let empty = try await h.call("AssociateAdditionalCertificatesWithListener", [("ListenerId", ALBTests.https)])
    XCTAssertEqual(empty.code, "MissingParameter")
    let sixteen = try await associate(h, (1...16).map { "\($0)-cn-hangzhou" })
    XCTAssertEqual(sixteen.status, 400)
    XCTAssertEqual(sixteen.code, "QuotaExceeded.CertificatesNum")
    let attr = try await h.call("GetListenerAttribute", [("ListenerId", ALBTests.https)])
    let defaultId = try XCTUnwrap(attr.array("Certificates").first?["CertificateId"] as? String)
    let usesDefault = try await associate(h, [defaultId])
    XCTAssertEqual(usesDefault.code, "OperationDenied.DefaultCertificateUsed")
    let dissociateDefault = try await dissociate(h, [defaultId])
    XCTAssertEqual(dissociateDefault.code, "OperationDenied.DefaultCertificateUsed")
    let notAssociated = try await dissociate(h, [a.identifier])
    XCTAssertEqual(notAssociated.status, 400)
    XCTAssertEqual(notAssociated.code, "ResourceNotAssociated.Certificate")

    let r101 = try await associate(h, [a.identifier])

    XCTAssertEqual(r101.status, 200)
    h.finishJobs()
    let again = try await associate(h, [a.identifier])
    XCTAssertEqual(again.code, "ResourceAlreadyAssociated.Certificate")
    let stateAfter = await h.server.state()
    XCTAssertEqual(stateAfter.listener(ALBTests.https)?.certificates.count, 1, "errors change nothing")
  }

  func testQuotaIsPerLoadBalancerSummedOverListeners() async throws {
    var seed = EmulatorSeed.default
    seed.loadBalancers = [
      .init(
        id: "alb-basic", edition: .basic,
        listeners: [
          .init(id: "lsr-one", protocol: "HTTPS", port: 443), .init(id: "lsr-two", protocol: "QUIC", port: 443),
        ]),
      .init(
        id: "alb-small", edition: .standard, certificateQuota: 2,
        listeners: [.init(id: "lsr-small", protocol: "HTTPS", port: 443)]),
    ]
    let h = try await start(seed: seed)
    var ids: [String] = []
    for i in 1...11 {
      ids.append(try await h.upload(name: "q\(i)", domains: ["q\(i).example.test"]).identifier)
    }
    let r102 = try await associate(h, Array(ids[0..<6]), listener: "lsr-one")
    XCTAssertEqual(r102.status, 200)
    let over = try await associate(h, Array(ids[6..<11]), listener: "lsr-two")
    XCTAssertEqual(over.status, 400)
    XCTAssertEqual(over.code, "ResourceQuotaExceeded.LoadBalancerCertificatesNum")
    XCTAssertEqual(
      over.message, "The quota of LoadBalancerCertificatesNum is exceeded for resource alb-basic, usage 11/10.")
    let r103 = try await associate(h, Array(ids[6..<10]), listener: "lsr-two")
    XCTAssertEqual(r103.status, 200)
    let small = try await associate(h, Array(ids[0..<3]), listener: "lsr-small")
    XCTAssertTrue(small.message.hasSuffix("usage 3/2."), small.message)
    let state = await h.server.state()
    XCTAssertEqual(state.loadBalancers.first { $0.id == "alb-basic" }?.certificateUsage, 10)
    XCTAssertEqual(state.loadBalancers.first { $0.id == "alb-basic" }?.certificateQuota, 10)
  }

  func testDryRunChecksAndChangesNothing() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.test"])
    let dry = try await associate(h, [a.identifier], extra: [("DryRun", "True")])
    XCTAssertEqual(dry.status, 400)
    XCTAssertEqual(dry.code, "DryRunOperation")
    XCTAssertEqual(Set(dry.json.keys), ["RequestId", "HostId", "Code", "Message", "Recommend"])
    let failing = try await associate(h, ["1-cn-hangzhou"], extra: [("DryRun", "true")])
    XCTAssertEqual(failing.code, "ResourceNotFound.Certificate", "DryRun runs the same prechecks")
    let state = await h.server.state()
    XCTAssertEqual(state.listener(ALBTests.https)?.status, "Running")
    XCTAssertEqual(state.listener(ALBTests.https)?.certificates.count, 0)
    XCTAssertTrue(state.jobs.isEmpty)
    let log = await h.server.requestLog()
    XCTAssertEqual(log.last?.dryRun, true)
  }

  func testClientTokenReplayReturnsTheFirstJobWithoutASecondChange() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.test"])
    let first = try await associate(h, [a.identifier], extra: [("ClientToken", "token-a")])
    // The replay arrives while the listener is still Configuring: it must not fail nor apply twice.
    let replay = try await associate(h, [a.identifier], extra: [("ClientToken", "token-a")])
    XCTAssertEqual(first.status, 200)
    XCTAssertEqual(replay.status, 200, replay.message)
    XCTAssertEqual(first.string("JobId"), replay.string("JobId"))
    XCTAssertNotEqual(first.string("RequestId"), replay.string("RequestId"))
    h.finishJobs()
    let after = try await associate(h, [a.identifier], extra: [("ClientToken", "token-a")])
    XCTAssertEqual(after.string("JobId"), first.string("JobId"))
    let state = await h.server.state()
    XCTAssertEqual(state.jobs.count, 1)
    let events = await h.server.events()
    XCTAssertEqual(events.filter { $0.kind == .certificateAssociating }.count, 1)
    let tooLong = try await associate(h, [a.identifier], extra: [("ClientToken", String(repeating: "x", count: 65))])
    XCTAssertEqual(tooLong.code, "InvalidParameter")
  }

  func testUpdateListenerAttributeReplacesTheDefaultAsynchronously() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.test"])
    let before = try await h.call("GetListenerAttribute", [("ListenerId", ALBTests.https)])
    let oldDefault = try XCTUnwrap(before.array("Certificates").first?["CertificateId"] as? String)
    let reply = try await h.call(
      "UpdateListenerAttribute",
      [("ListenerId", ALBTests.https), ("Certificates.1.CertificateId", a.identifier), ("ClientToken", "upd-1")])
    XCTAssertEqual(reply.status, 200, reply.message)
    let during = try await h.call("GetListenerAttribute", [("ListenerId", ALBTests.https)])
    XCTAssertEqual(during.string("ListenerStatus"), "Configuring")
    XCTAssertEqual(during.array("Certificates").first?["CertificateId"] as? String, oldDefault)
    h.finishJobs()
    let after = try await h.call("GetListenerAttribute", [("ListenerId", ALBTests.https)])
    XCTAssertEqual(after.string("ListenerStatus"), "Running")
    XCTAssertEqual(after.array("Certificates").first?["CertificateId"] as? String, a.identifier)
    let jobs = try await h.call("ListAsynJobs", [("ApiName", "UpdateListenerAttribute")])
    XCTAssertEqual(jobs.array("Jobs").first?["Status"] as? String, "Succeeded")
    XCTAssertEqual(jobs.array("Jobs").first?["Id"] as? String, reply.string("JobId"))
    let events = await h.server.events()
    let replaced = try XCTUnwrap(events.last { $0.kind == .defaultCertificateReplaced })
    XCTAssertEqual(replaced.certificateId, a.identifier)
    XCTAssertEqual(replaced.detail, "previous \(oldDefault)")
    XCTAssertEqual(replaced.domains, ["a.example.test"])
    let missing = try await h.call(
      "UpdateListenerAttribute", [("ListenerId", ALBTests.https), ("Certificates.1.CertificateId", "5-cn-hangzhou")])
    XCTAssertEqual(missing.code, "ResourceNotFound.Certificate")
  }

  func testJSONEncodedCertificateListAndTagFilter() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.test"])
    let reply = try await h.call(
      "AssociateAdditionalCertificatesWithListener",
      [("ListenerId", ALBTests.https), ("Certificates", "[{\"CertificateId\":\"\(a.identifier)\"}]")])
    XCTAssertEqual(reply.status, 200, reply.message)
    let state = await h.server.state()
    XCTAssertEqual(state.listener(ALBTests.https)?.certificates.map { $0.certificateId }, [a.identifier])
    let tagged = try await h.call("ListListeners", [("Tag.1.Key", "env"), ("Tag.1.Value", "prod")])
    XCTAssertEqual(tagged.int("TotalCount"), 0)
  }
}
