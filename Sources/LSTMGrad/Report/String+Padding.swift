extension String {
    /// Left-aligned in a column of `width` Unicode scalars (unchanged if wider).
    func padded(_ width: Int) -> String {
        let n = unicodeScalars.count
        return n >= width ? self : self + String(repeating: " ", count: width - n)
    }

    /// Right-aligned in a column of `width` Unicode scalars (unchanged if wider).
    func leftPadded(_ width: Int) -> String {
        let n = unicodeScalars.count
        return n >= width ? self : String(repeating: " ", count: width - n) + self
    }
}
