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
        // The fuzz harness (`make fuzz`): a mutator and a runner, shared with the test slice.
        .target(name: "LSTMGradFuzz", dependencies: ["LSTMGrad"]),
        .executableTarget(name: "lstm-grad-fuzz", dependencies: ["LSTMGrad", "LSTMGradFuzz"]),
        .testTarget(
            name: "LSTMGradTests",
            dependencies: ["LSTMGrad", "LSTMGradFuzz"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
