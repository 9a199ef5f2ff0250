import FastCGIRuntime
import Testing

struct JSONWriterTests {
    @Test func placesCommasAndEscapesStrings() {
        var json = JSONWriter()
        json.beginObject()
        json.key("s")
        json.string("a\"b\\c\nd\u{01}é")
        json.key("list")
        json.beginArray()
        json.int(1)
        json.double(0.47273)
        json.double(2.0)
        json.bool(false)
        json.null()
        json.beginObject()
        json.endObject()
        json.endArray()
        json.key("nan")
        json.double(.nan)
        json.endObject()
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"s":"a\"b\\c\nd\u0001é","list":[1,0.47273,2,false,null,{}],"nan":null}"#
        )
    }
}
