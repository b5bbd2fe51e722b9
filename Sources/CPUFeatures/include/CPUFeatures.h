#ifndef LSTM_GRAD_CPU_FEATURES_H
#define LSTM_GRAD_CPU_FEATURES_H

/// 1 when this CPU (and the operating system, which must save the wide registers) supports
/// x86-64-v3: AVX, AVX2, FMA, BMI1, BMI2, F16C, LZCNT, MOVBE; 0 elsewhere (arm64 included).
int lstm_grad_cpu_supports_x86_64_v3(void);

#endif
