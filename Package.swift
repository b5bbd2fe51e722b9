// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lstm-grad",
    products: [
        .executable(name: "lstm-grad", targets: ["lstm-grad"]),
        .library(name: "LSTMGrad", targets: ["LSTMGrad"]),
    ],
    targets: [
        .target(name: "LSTMGrad"),
        .executableTarget(name: "lstm-grad", dependencies: ["LSTMGrad"]),
        .testTarget(
            name: "LSTMGradTests",
            dependencies: ["LSTMGrad"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
