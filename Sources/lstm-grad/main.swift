import LSTMGrad

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let status = CLI.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
