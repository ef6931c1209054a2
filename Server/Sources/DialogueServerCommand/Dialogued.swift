@main
struct Dialogued {
    static func main() {}
}
