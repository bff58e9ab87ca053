import AlibabaCloud
import Foundation
import XCTest

/// Reproduces every published signing vector in the API spec exactly.
final class SignatureVectorTests: XCTestCase {
  func testPercentEncodingCheck() {
    XCTAssertEqual(AcsPercentEncoding.encode(" ~/*-+"), "%20~%2F%2A-%2B")
    XCTAssertEqual(AcsPercentEncoding.encode("AZaz09-_.~"), "AZaz09-_.~")
    XCTAssertEqual(AcsPercentEncoding.encode("é="), "%C3%A9%3D")
    XCTAssertEqual(AcsPercentEncoding.decode("%20~%2F%2A-%2B"), " ~/*-+")
    XCTAssertEqual(AcsPercentEncoding.decode("a+b", plusAsSpace: true), "a b")
    XCTAssertNil(AcsPercentEncoding.decode("%4"))
  }

  func testHashing() {
    XCTAssertEqual(Hashing.sha256Hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    // RFC 4231 test case 2.
    XCTAssertEqual(
      Hashing.hmacSHA256Hex(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    // RFC 2202 test case 2.
    XCTAssertEqual(
      Hashing.hmacSHA1Base64(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)),
      Data([
        0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74, 0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c,
        0x25, 0x9a, 0x7c, 0x79,
      ]).base64EncodedString())
  }

  private let vector1Canonical = """
    POST
    /
    ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
    host:ecs.cn-shanghai.aliyuncs.com
    x-acs-action:RunInstances
    x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    x-acs-date:2023-10-26T10:22:32Z
    x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
    x-acs-version:2014-05-26

    host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    """

  func testV3OfficialVector() {
    let headers: [(String, String)] = [
      ("x-acs-version", "2014-05-26"),
      ("host", "ecs.cn-shanghai.aliyuncs.com"),
      ("x-acs-action", "RunInstances"),
      ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ("x-acs-date", "2023-10-26T10:22:32Z"),
      ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
    ]
    let canonical = ACS3Signature.canonicalRequest(
      method: "POST", path: "/",
      query: [("RegionId", "cn-shanghai"), ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd")],
      headers: headers,
      signedHeaders: ["x-acs-version", "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce"],
      hashedPayload: Hashing.sha256Hex([]))
    XCTAssertEqual(canonical, vector1Canonical)
    let sts = ACS3Signature.stringToSign(canonicalRequest: canonical)
    XCTAssertEqual(sts, "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259")
    XCTAssertEqual(
      ACS3Signature.signature(stringToSign: sts, secret: "YourAccessKeySecret"),
      "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0")
  }

  func testV3HighLevelSignReproducesOfficialVector() throws {
    let date = try XCTUnwrap(AcsTimestamp.parse("2023-10-26T10:22:32Z"))
    let headers = ACS3Signature.sign(
      method: "POST", path: "/",
      query: [("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")],
      headers: [("host", "ecs.cn-shanghai.aliyuncs.com"), ("x-acs-action", "RunInstances"), ("x-acs-version", "2014-05-26")],
      body: [], credentials: AccessCredentials(accessKeyId: "YourAccessKeyId", accessKeySecret: "YourAccessKeySecret"),
      date: date, nonce: "3156853299f313e23d1673dc12e1703d")
    let auth = try XCTUnwrap(headers.first { $0.0 == "authorization" }?.1)
    XCTAssertEqual(
      auth,
      "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    )
    XCTAssertEqual(headers.first { $0.0 == "x-acs-date" }?.1, "2023-10-26T10:22:32Z")
    XCTAssertNil(headers.first { $0.0 == "x-acs-security-token" })
  }

  func testV3SecondVectorWithRepeatedHeaders() {
    let headers: [(String, String)] = [("x-acs-test", "http"), ("x-acs-TEST", "https")]
    let canonical = ACS3Signature.canonicalRequest(
      method: "GET", path: "/", query: [("test", "ok"), ("empty", "")], headers: headers,
      signedHeaders: ["x-acs-test"],
      hashedPayload: "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23")
    XCTAssertEqual(
      canonical,
      "GET\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23")
    let signature = ACS3Signature.signature(
      stringToSign: ACS3Signature.stringToSign(canonicalRequest: canonical), secret: "secret")
    XCTAssertEqual(
      ACS3Signature.authorization(accessKeyId: "acesskey", signedHeaders: ["x-acs-test"], signature: signature),
      "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1"
    )
  }

  func testParseAuthorization() throws {
    let parsed = try XCTUnwrap(
      ACS3Signature.parseAuthorization(
        "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=host;x-acs-test,Signature=d16b"))
    XCTAssertEqual(parsed.accessKeyId, "acesskey")
    XCTAssertEqual(parsed.signedHeaders, ["host", "x-acs-test"])
    XCTAssertEqual(parsed.signature, "d16b")
    XCTAssertNil(ACS3Signature.parseAuthorization("HMAC-SHA1 Credential=a,SignedHeaders=b,Signature=c"))
    XCTAssertNil(ACS3Signature.parseAuthorization("ACS3-HMAC-SHA256 Credential=a,Signature=c"))
  }

  func testSTSTokenIsSignedAndSent() throws {
    let creds = AccessCredentials(accessKeyId: "id", accessKeySecret: "s", securityToken: "tok")
    let headers = ACS3Signature.sign(
      method: "POST", path: "/", query: [], headers: [("host", "h"), ("x-acs-action", "A"), ("x-acs-version", "v")],
      body: Array("a=b".utf8), credentials: creds, date: Date(timeIntervalSince1970: 0), nonce: "n")
    XCTAssertEqual(headers.first { $0.0 == "x-acs-security-token" }?.1, "tok")
    XCTAssertEqual(headers.first { $0.0 == "x-acs-content-sha256" }?.1, Hashing.sha256Hex(Array("a=b".utf8)))
    let auth = try XCTUnwrap(ACS3Signature.parseAuthorization(try XCTUnwrap(headers.first { $0.0 == "authorization" }?.1)))
    XCTAssertTrue(auth.signedHeaders.contains("x-acs-security-token"))
    XCTAssertEqual(headers.first { $0.0 == "x-acs-date" }?.1, "1970-01-01T00:00:00Z")
  }

  func testV1OfficialVector() {
    let params: [(String, String)] = [
      ("Timestamp", "2016-02-23T12:46:24Z"), ("Format", "XML"), ("AccessKeyId", "testid"),
      ("Action", "DescribeRegions"), ("SignatureMethod", "HMAC-SHA1"),
      ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("Version", "2014-05-26"),
      ("SignatureVersion", "1.0"),
    ]
    XCTAssertEqual(
      RPCSignature.stringToSign(method: "GET", parameters: params),
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    XCTAssertEqual(RPCSignature.signature(method: "GET", parameters: params, secret: "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
    // "Signature" itself never takes part in the string to sign.
    XCTAssertEqual(
      RPCSignature.signature(method: "GET", parameters: params + [("Signature", "x")], secret: "testsecret"),
      "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
  }

  func testV1SignedParameters() throws {
    let params = RPCSignature.signedParameters(
      method: "POST", action: "ListListeners", version: "2020-06-16", parameters: [("MaxResults", "10")],
      credentials: AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret", securityToken: "sts"),
      date: Date(timeIntervalSince1970: 1_456_231_584), nonce: "n1")
    let sig = try XCTUnwrap(params.first { $0.0 == "Signature" }?.1)
    XCTAssertEqual(sig, RPCSignature.signature(method: "POST", parameters: params, secret: "testsecret"))
    XCTAssertEqual(params.first { $0.0 == "Timestamp" }?.1, "2016-02-23T12:46:24Z")
    XCTAssertEqual(params.first { $0.0 == "SecurityToken" }?.1, "sts")
  }

  func testCredentialsDescriptionsAreRedacted() {
    let creds = AccessCredentials(
      accessKeyId: "testid-ExampleKeyId", accessKeySecret: "testsecret-DO-NOT-LEAK-1234", securityToken: "token-DO-NOT-LEAK")
    for text in [creds.description, creds.debugDescription, "\(creds)", String(reflecting: creds)] {
      XCTAssertFalse(text.contains("DO-NOT-LEAK"), text)
      XCTAssertFalse(text.contains("testid-ExampleKeyId"), text)
    }
  }
}
