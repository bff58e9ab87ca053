// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "certhook",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "certhook", targets: ["certhook"]),
    .library(name: "CertificateKit", targets: ["CertificateKit"]),
    .library(name: "AlibabaCloud", targets: ["AlibabaCloud"]),
    .library(name: "CertHookCore", targets: ["CertHookCore"]),
    .library(name: "CloudEmulator", targets: ["CloudEmulator"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
  ],
  targets: [
    .systemLibrary(
      name: "COpenSSL",
      pkgConfig: "openssl",
      providers: [.apt(["libssl-dev"])]
    ),
    .target(
      name: "CertificateKit",
      dependencies: ["COpenSSL"]
    ),
    .target(
      name: "AlibabaCloud",
      dependencies: [
        "COpenSSL",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .target(
      name: "CloudEmulator",
      dependencies: [
        "CertificateKit",
        "AlibabaCloud",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "CertHookCore",
      dependencies: [
        "CertificateKit",
        "AlibabaCloud",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "certhook",
      dependencies: [
        "CertificateKit",
        "AlibabaCloud",
        "CertHookCore",
        "CloudEmulator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
      ]
    ),
    .target(
      name: "CertHookTestSupport",
      dependencies: [
        "CertificateKit", "AlibabaCloud", "CertHookCore", "CloudEmulator",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
      ],
      path: "Tests/CertHookTestSupport"
    ),
    .testTarget(name: "CertificateKitTests", dependencies: ["CertificateKit", "CertHookTestSupport"]),
    .testTarget(
      name: "AlibabaCloudTests",
      dependencies: [
        "AlibabaCloud", "CloudEmulator", "CertificateKit", "CertHookTestSupport",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "CloudEmulatorTests", dependencies: ["CloudEmulator", "AlibabaCloud", "CertificateKit", "CertHookTestSupport"]),
    .testTarget(
      name: "CertHookCoreTests",
      dependencies: ["CertHookCore", "CloudEmulator", "AlibabaCloud", "CertificateKit", "CertHookTestSupport"]),
    .testTarget(
      name: "CertHookCLITests",
      dependencies: ["certhook", "AlibabaCloud", "CertificateKit", "CloudEmulator", "CertHookTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
