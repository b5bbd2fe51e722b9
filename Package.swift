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

// The in-process libFuzzer harnesses (`make fuzz-inprocess`), built only when the make target
// sets LSTM_GRAD_FUZZ_INPROCESS (with the fuzzer and address sanitizers): a plain `swift build`
// neither sees nor builds them.
if Context.environment["LSTM_GRAD_FUZZ_INPROCESS"] != nil {
    package.targets += [
        .executableTarget(name: "lstm-grad-fuzz-spec", dependencies: ["LSTMGrad"], path: "Fuzz/SpecHarness"),
        .executableTarget(name: "lstm-grad-fuzz-check", dependencies: ["LSTMGrad"], path: "Fuzz/CheckHarness"),
    ]
}
