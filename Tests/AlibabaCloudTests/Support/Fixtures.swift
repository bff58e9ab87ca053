import AlibabaCloud
import Foundation
import Logging

/// Shared builders for client tests.
enum Fixtures {
  static let secret = "testsecret-DO-NOT-LEAK-1234"
  static let stsToken = "sts-token-DO-NOT-LEAK-5678"
  static let credentials = AccessCredentials(accessKeyId: "testid", accessKeySecret: secret)

  static func configuration(
    clock: TestClock, logger: Logger = Logger(label: "test"), retry: RetryPolicy = RetryPolicy(),
    limits: [String: RateLimit] = [:], endpoint: String = "http://127.0.0.1:9"
  ) -> ClientConfiguration {
    ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: URL(string: endpoint), casEndpoint: URL(string: endpoint), retryPolicy: retry,
      rateLimits: limits, runtime: clock.runtime(), logger: logger)
  }

  static func alb(_ transport: FakeTransport, clock: TestClock, logger: Logger = Logger(label: "test"),
                  retry: RetryPolicy = RetryPolicy(), credentials: AccessCredentials = credentials) throws -> ALBClient {
    try ALBClient(
      configuration: configuration(clock: clock, logger: logger, retry: retry),
      credentials: StaticCredentialProvider(credentials), transport: transport)
  }

  static func cas(_ transport: FakeTransport, clock: TestClock, logger: Logger = Logger(label: "test")) throws -> CASClient {
    try CASClient(
      configuration: configuration(clock: clock, logger: logger), credentials: StaticCredentialProvider(credentials),
      transport: transport)
  }
}
