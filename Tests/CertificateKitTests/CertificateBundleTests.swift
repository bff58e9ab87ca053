import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Loading deployable bundles from files.
final class CertificateBundleTests: XCTestCase {
  func testFullchainWithSeparateKey() throws {
    let chain = try Fixtures.chain()
    let directory = try TemporaryDirectory()
    let cert = try directory.write("fullchain.pem", chain.leaf.pem + chain.intermediate.pem + chain.root.pem)
    let key = try directory.write("privkey.pem", try chain.leafKey.pkcs8PEM())
    let bundle = try CertificateBundle.load(certificatePath: cert, keyPath: key)
    XCTAssertEqual(bundle.leaf, chain.leaf)
    XCTAssertEqual(bundle.chain, [chain.intermediate, chain.root])
    XCTAssertEqual(bundle.certificatePath, cert)
    XCTAssertTrue(try XCTUnwrap(bundle.key).matches(bundle.leaf))
    XCTAssertEqual(bundle.uploadCertificatePEM, chain.leaf.pem + chain.intermediate.pem)
  }

  func testLegoPEMHoldsTheKeyAndSeparateChainFile() throws {
    let chain = try Fixtures.chain()
    let directory = try TemporaryDirectory()
    let keyPEM = try chain.leafKey.pkcs8PEM()
    let lego = try directory.write("example.com.pem", chain.leaf.pem + keyPEM)
    let issuer = try directory.write("example.com.issuer.crt", chain.intermediate.pem)
    let bundle = try CertificateBundle.load(certificatePath: lego, keyPath: nil, chainPath: issuer)
    XCTAssertEqual(bundle.chain, [chain.intermediate])
    XCTAssertTrue(try XCTUnwrap(bundle.key).matches(chain.leaf))

    let certOnly = try directory.write("cert.pem", chain.leaf.pem)
    XCTAssertNil(try CertificateBundle.load(certificatePath: certOnly, keyPath: nil).key)
  }

  func testErrorsNameTheFile() throws {
    let directory = try TemporaryDirectory()
    let missing = directory.path("missing.pem")
    XCTAssertThrowsError(try CertificateBundle.load(certificatePath: missing, keyPath: nil)) { error in
      guard case .unreadableFile(let path, _)? = error as? CertificateKitError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, missing)
      XCTAssertTrue("\(error)".contains("missing.pem"))
    }
    let empty = try directory.write("empty.pem", "")
    XCTAssertThrowsError(try CertificateBundle.load(certificatePath: empty, keyPath: nil)) { error in
      XCTAssertEqual(error as? CertificateKitError, .noCertificate(source: empty))
    }
    let chain = try Fixtures.chain()
    let cert = try directory.write("cert.pem", chain.leaf.pem)
    let encrypted = try directory.write(
      "key.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n")
    XCTAssertThrowsError(try CertificateBundle.load(certificatePath: cert, keyPath: encrypted)) { error in
      XCTAssertEqual(error as? CertificateKitError, .encryptedPrivateKey(source: encrypted))
    }
  }
}
