public enum CadangCommand { public static func main() {} }
