// Keeps the library non-empty until the first widget lands; removed then.
namespace loadline::widgets { int placeholder() { return 0; } }
