/// The one version string both executables print.
public enum DialogVersion {
    public static let current = "0.1.0"
}
