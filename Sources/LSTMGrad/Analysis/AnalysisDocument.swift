/// Builds the machine-readable form of `analyze` (`--format json|csv`): every matrix, norm and
/// eigenvalue at full precision under a canonical name, in the style of `run --format json`
/// (`jacobian[3,1]` is ∂h_3/∂h_1, `term_dW[3,1]` the (t, k) = (3, 1) term of ∂L/∂W).
public enum AnalysisDocument {
    /// `analyze --matrix M --power n`.
    public static func matrix(_ a: MatrixAnalysis, source: String) -> AnalysisValue {
        .object([
            ("command", .string("analyze")),
            ("source", .string(source)),
            ("complex_numbers", .string("[re, im]")),
            ("quantities", .object(matrixQuantities(a))),
            ("eigen", eigenPair(a)),
            ("verdict", .object(powerVerdict(a) + [("rnn", rnnConditions(a.eigen.norm))])),
        ])
    }

    /// `analyze SPEC`.
    /// `powersNote`: why the eigenvalue section of an RNN is missing (Wⁿ overflows).
    public static func flow(_ f: GradientFlow, header: [String], model: String, matrix: MatrixAnalysis?,
                            powersNote: String? = nil) -> AnalysisValue {
        .object([
            ("command", .string("analyze")),
            ("model", .string(model)),
            ("header", .array(header.map { .string($0) })),
            ("complex_numbers", .string("[re, im]")),
        ] + flowMembers(f, matrix: matrix, powersNote: powersNote))
    }

    /// Everything of `flow` after its header: sizes, window, every matrix and norm, the growth and
    /// the verdict (a network's band holds these too).
    static func flowMembers(_ f: GradientFlow, matrix: MatrixAnalysis?, powersNote: String?) -> [(String, AnalysisValue)] {
        var top: [(String, AnalysisValue)] = [
            ("sizes", .object([("H", .integer(f.hidden)), ("state", .integer(f.stateSize)), ("T", .integer(f.steps))])),
            ("window", .object([("first_k", .integer(f.window.first)), ("last_t", .integer(f.window.last)),
                                ("timesteps", .integer(f.window.count)), ("complete", .bool(f.window.isComplete))])),
        ]
        var q: [(String, AnalysisValue)] = []
        if let w = f.recurrent, let c = f.conditions {
            q.append(("W", .matrix(w)))
            q.append(("norm2_W", .number(c.sigmaMax)))
            q.append(("sigma_max_W", .number(c.sigmaMax)))
            if let rho = f.spectralRadius { q.append(("rho_W", .number(rho))) }
            q.append(("gamma", .number(c.gamma)))
        }
        for t in f.window.timesteps {
            if let d = f.derivatives { q.append(("act_prime[\(t)]", .vector(d[t].values))) }
            if let fg = f.forget { q.append(("f[\(t)]", .vector(fg[t].values))) }
            if let p = f.gruPaths?[t] {
                q.append(("jacobian_path.carry[\(t)]", .matrix(p.carry)))
                q.append(("jacobian_path.update[\(t)]", .matrix(p.update)))
                q.append(("jacobian_path.candidate[\(t)]", .matrix(p.candidate)))
                q.append(("jacobian_path.reset[\(t)]", .matrix(p.reset)))
            }
            for k in stride(from: t - 1, through: f.window.first, by: -1) {
                let m = f.product(t, k)
                q.append(("jacobian[\(t),\(k)]", .matrix(m)))
                q.append(("norm_jacobian[\(t),\(k)]", .number(f.productNorm(t, k))))
                if f.kind == .lstm {
                    let H = f.hidden
                    q.append(("jacobian_out_out[\(t),\(k)]", .matrix(GradientFlow.block(m, 0, 0, H))))
                    q.append(("jacobian_out_state[\(t),\(k)]", .matrix(GradientFlow.block(m, 0, H, H))))
                    q.append(("jacobian_state_out[\(t),\(k)]", .matrix(GradientFlow.block(m, H, 0, H))))
                    q.append(("jacobian_state_state[\(t),\(k)]", .matrix(GradientFlow.block(m, H, H, H))))
                    q.append(("cell_path[\(t),\(k)]", .vector(f.cellPath(t, k)!.values)))
                }
            }
        }
        if let terms = f.terms {
            for t in terms.firstK..<f.steps {
                for k in terms.firstK...t { q.append(("term_dW[\(t),\(k)]", .matrix(terms.term(t, k)))) }
            }
            for k in terms.firstK..<f.steps {
                q.append(("contribution_dW[\(k)]", .matrix(terms.contribution(k))))
                q.append(("bptt_dW[\(k)]", .matrix(terms.bpttContributions[k - terms.firstK])))
            }
            q.append(("sum_terms_dW", .matrix(terms.sum)))
            q.append(("dW", .matrix(terms.dW)))
            if let outside = terms.outside { q.append(("outside_window_dW", .matrix(outside))) }
            q.append(("terms_residual", .number(terms.residual)))
        }
        top.append(("quantities", .object(q)))
        top.append(("growth", .array(f.reach.map(reach))))
        if let row = f.lastRow { top.append(("last_row", .array(row.map(reach)))) }
        top.append(("verdict", verdict(f.verdict)))
        if let a = matrix {
            top.append(("powers", .object(matrixQuantities(a))))
            top.append(("eigen", eigenPair(a)))
            top.append(("powers_verdict", .object(powerVerdict(a))))
        } else if let note = powersNote {
            top.append(("powers_note", .string(note)))
        }
        return top
    }

    /// `analyze` on a network: each band's members as one cell's (`flowMembers`) under its place
    /// (`bands["l1.reverse.b0"]`), the network time of each of its steps, and the gradient flow
    /// ‖δ_t‖ of every band at the network's time t, each point with the δ's canonical name.
    public static func network(_ n: NetworkAnalysis) -> AnalysisValue {
        let bands: [(String, AnalysisValue)] = n.bands.map { band in
            let recurrence = n.recurrence(of: band)
            return (band.place, .object([
                ("layer", .integer(band.layer)),
                ("direction", .string(band.reverse ? "reverse" : "forward")),
                ("sequence", .integer(band.sequence)),
                ("time_of_step", .array((0..<band.flow.steps).map { .integer(band.time(ofStep: $0)) })),
            ] + flowMembers(band.flow, matrix: recurrence?.analysis, powersNote: recurrence?.note)))
        }
        let flows: [(String, AnalysisValue)] = n.flows.flatMap { _, network in
            network.flows.map { band in
                (band.flow.first?.name.place ?? band.title, .array(band.flow.map { point in
                    .object([("t", .integer(point.t)), ("name", .string(point.name.description)), ("norm", .number(point.norm))])
                }))
            }
        }
        return .object([
            ("command", .string("analyze")),
            ("model", .string(n.model)),
            ("header", .array(n.header.map { .string($0) })),
            ("complex_numbers", .string("[re, im]")),
            ("network", .object([("layers", .integer(n.layers)), ("directions", .integer(n.directions)), ("sequences", .integer(n.sequences)),
                                 ("shown", .array(n.shown.map { .integer($0) })), ("T", .integer(n.steps)), ("H", .integer(n.hidden))])),
            ("bands", .object(bands)),
            ("gradient_flow", .object(flows)),
        ])
    }

    static func reach(_ r: GradientFlow.Reach) -> AnalysisValue {
        .object([("k", .integer(r.k)), ("distance", .integer(r.distance)), ("norm", .number(r.norm)),
                 ("log10_norm", r.log10Norm == -.infinity ? .null : .number(r.log10Norm)), ("per_step", .number(r.perStep))])
    }

    static func verdict(_ v: GradientVerdict) -> AnalysisValue {
        var members: [(String, AnalysisValue)] = [
            ("verdict", .string(v.kind.rawValue)),
            ("decided_by", .string(v.decidedBy.rawValue)),
        ]
        if let c = v.conditions {
            members.append(("gamma", .number(c.gamma)))
            members.append(("sigma_max_W", .number(c.sigmaMax)))
            members.append(("gamma_sigma_max", .number(c.bound)))
            members.append(("sufficient_for_vanishing", .bool(c.sufficientForVanishing)))
            members.append(("necessary_for_exploding", .bool(c.necessaryForExploding)))
        }
        members.append(("measured_norm", .number(v.measured.norm)))
        members.append(("measured_log10_norm", v.measured.log10Norm == -.infinity ? .null : .number(v.measured.log10Norm)))
        members.append(("measured_steps", .integer(v.measured.distance)))
        members.append(("measured_per_step", .number(v.perStep)))
        members.append(("band", .vector([1 - GradientVerdict.band, 1 + GradientVerdict.band])))
        return .object(members)
    }

    static func matrixQuantities(_ a: MatrixAnalysis) -> [(String, AnalysisValue)] {
        let n = a.power
        var q: [(String, AnalysisValue)] = [
            ("W", .matrix(a.matrix)),
            ("norm2_W", .number(a.eigen.norm)),
            ("sigma_max_W", .number(a.eigen.norm)),
            ("rho_W", .number(a.eigen.spectralRadius)),
            ("power", .integer(n)),
            ("W^\(n)", .matrix(a.byMultiplication)),
        ]
        if let pe = a.powerEigen {
            q.append(("norm2_W^\(n)", .number(pe.norm)))
            q.append(("rho_W^\(n)", .number(pe.spectralRadius)))
        }
        q.append(("eigenvalue_powers", .complexVector(a.eigenvaluePowers)))
        if let b = a.byEigen {
            q.append(("W^\(n)_by_eigen", .complexMatrix(b)))
            if let d = a.powerDifference { q.append(("power_difference", .number(d))) }
        }
        return q
    }

    static func eigenPair(_ a: MatrixAnalysis) -> AnalysisValue {
        var members = [("W", eigen(a.eigen))]
        if let pe = a.powerEigen { members.append(("W^\(a.power)", eigen(pe))) }
        return .object(members)
    }

    static func powerVerdict(_ a: MatrixAnalysis) -> [(String, AnalysisValue)] {
        [("powers", .string(a.growth.rawValue)), ("rho_W", .number(a.eigen.spectralRadius))]
    }

    static func rnnConditions(_ sigma: Double) -> AnalysisValue {
        .object([Activation.tanh, .sigmoid].map { act in
            let c = PascanuConditions(activation: act, sigmaMax: sigma)
            return (act.rawValue, .object([
                ("gamma", .number(c.gamma)), ("gamma_sigma_max", .number(c.bound)),
                ("sufficient_for_vanishing", .bool(c.sufficientForVanishing)),
                ("necessary_for_exploding", .bool(c.necessaryForExploding)),
            ]))
        })
    }

    /// One eigendecomposition: eigenvalues, eigenspaces (with the rank test), Q, Λ, Q⁻¹.
    public static func eigen(_ e: EigenDecomposition) -> AnalysisValue {
        var members: [(String, AnalysisValue)] = [
            ("matrix", .matrix(e.matrix)),
            ("symmetric", .bool(e.symmetric)),
            ("method", .string(e.symmetric ? "jacobi" : "balancing, hessenberg, francis double-shift qr")),
            ("iterations", .integer(e.iterations)),
            ("norm2", .number(e.norm)),
            ("spectral_radius", .number(e.spectralRadius)),
            ("eigenvalues", .complexVector(e.eigenvalues)),
            ("abs_eigenvalues", .vector(e.eigenvalues.map(\.magnitude))),
            ("tolerance_rule", .string("m eigenvalues count as one, their mean, when all lie within equal_tolerance = 1e-12*norm2 of it, "
                                       + "or (m <= \(Eigen.largestJordanBlock)) within tau_m = 10*eps^(1/m)*norm2 of it while (A - mean*I) has fewer than m "
                                       + "singular values <= delta_m = sqrt(tau_m*norm2); the geometric multiplicity is the number of those singular values")),
            ("equal_tolerance", .number(e.equalTolerance)),
            ("pair_tolerance", .number(e.pairTolerance)),
            ("eigenspaces", .array(e.eigenspaces.map { s in
                .object([
                    ("members", .array(s.members.sorted().map { .integer($0) })),
                    ("eigenvalue", .complex(s.center)),
                    ("algebraic", .integer(s.algebraic)),
                    ("geometric", .integer(s.geometric)),
                    ("defective", .bool(s.isDefective)),
                    ("spread", .number(s.spread)),
                    ("tolerance", .number(s.tolerance)),
                    ("rank_tolerance", .number(s.rankTolerance)),
                    ("singular_values", .vector(s.singularValues)),
                    ("eigenvectors", .array(s.vectors.map { .complexVector($0) })),
                ])
            })),
            ("defective", .bool(e.isDefective)),
        ]
        if let q = e.vectors, let qi = e.inverseVectors {
            members.append(("Q", .complexMatrix(q)))
            members.append(("Lambda", .complexVector(e.eigenvalues)))
            members.append(("Q_inverse", .complexMatrix(qi)))
            if let r = e.reconstructionError { members.append(("reconstruction_error", .number(r))) }
            if let r = e.maxResidual { members.append(("max_residual", .number(r))) }
        }
        return .object(members)
    }
}
