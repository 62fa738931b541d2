//! A struct serialized with the fields of another after its own, as one struct.
//!
//! Serde's `flatten` would do the same through a map of unknown size, which Tera fills key by
//! key, naming each key anew and growing the map as it goes: for a post listed on every page
//! that shows it, a third of the cost of its listing.

use serde::ser::{Error, Impossible, Serialize, SerializeStruct, Serializer};

/// A struct whose fields [`Extended`] writes after another struct's.
pub(crate) trait MoreFields: Serialize {
    /// How many fields it writes at most: room is made for them with the other's.
    const COUNT: usize;
}

/// `inner`, a struct, then the fields of `more`, another struct, as one struct.
pub(crate) struct Extended<'a, T, M> {
    /// The struct.
    pub(crate) inner: &'a T,
    /// The struct whose fields come after its own.
    pub(crate) more: &'a M,
}

impl<T: Serialize, M: MoreFields> Serialize for Extended<'_, T, M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.inner.serialize(AddFields {
            serializer,
            more: self.more,
        })
    }
}

/// A serializer that hands a struct on to `serializer` with the fields of `more` after its own.
struct AddFields<'a, S, M> {
    serializer: S,
    more: &'a M,
}

/// The fields of the struct, then those of `more`.
struct Fields<'a, F, M> {
    fields: F,
    more: &'a M,
}

impl<F: SerializeStruct, M: MoreFields> SerializeStruct for Fields<'_, F, M> {
    type Ok = F::Ok;
    type Error = F::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), F::Error> {
        self.fields.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), F::Error> {
        self.fields.skip_field(key)
    }

    fn end(mut self) -> Result<F::Ok, F::Error> {
        self.more.serialize(Forward(&mut self.fields))?;
        self.fields.end()
    }
}

/// A serializer that writes the fields of a struct into another struct being serialized.
struct Forward<'b, F>(&'b mut F);

impl<F: SerializeStruct> SerializeStruct for Forward<'_, F> {
    type Ok = ();
    type Error = F::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), F::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), F::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<(), F::Error> {
        Ok(())
    }
}

/// What anything but a struct gets: it has no fields to add, or to add to.
fn not_a_struct<E: Error>() -> E {
    E::custom("only a struct can be extended with the fields of another")
}

/// A serializer of structs only: every other kind of value is refused.
macro_rules! structs_only {
    ($ok:ty, $error:ty) => {
        type Ok = $ok;
        type Error = $error;
        type SerializeSeq = Impossible<$ok, $error>;
        type SerializeTuple = Impossible<$ok, $error>;
        type SerializeTupleStruct = Impossible<$ok, $error>;
        type SerializeTupleVariant = Impossible<$ok, $error>;
        type SerializeMap = Impossible<$ok, $error>;
        type SerializeStructVariant = Impossible<$ok, $error>;

        structs_only!(@refuse $ok, $error;
            serialize_bool(bool),
            serialize_i8(i8),
            serialize_i16(i16),
            serialize_i32(i32),
            serialize_i64(i64),
            serialize_u8(u8),
            serialize_u16(u16),
            serialize_u32(u32),
            serialize_u64(u64),
            serialize_f32(f32),
            serialize_f64(f64),
            serialize_char(char),
            serialize_str(&str),
            serialize_bytes(&[u8]),
            serialize_none(),
            serialize_unit(),
            serialize_unit_struct(&'static str),
            serialize_unit_variant(&'static str, u32, &'static str),
        );

        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, $error> {
            Err(not_a_struct())
        }

        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, $error> {
            Err(not_a_struct())
        }

        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, $error> {
            Err(not_a_struct())
        }

        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, $error> {
            Err(not_a_struct())
        }

        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, $error> {
            Err(not_a_struct())
        }

        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, $error> {
            Err(not_a_struct())
        }

        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<$ok, $error> {
            Err(not_a_struct())
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, $error> {
            Err(not_a_struct())
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, $error> {
            Err(not_a_struct())
        }
    };
    (@refuse $ok:ty, $error:ty; $($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, $error> {
            Err(not_a_struct())
        })*
    };
}

impl<'a, S: Serializer, M: MoreFields> Serializer for AddFields<'a, S, M> {
    type SerializeStruct = Fields<'a, S::SerializeStruct, M>;
    structs_only!(S::Ok, S::Error);

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Fields {
            fields: self.serializer.serialize_struct(name, len + M::COUNT)?,
            more: self.more,
        })
    }
}

impl<'b, F: SerializeStruct> Serializer for Forward<'b, F> {
    type SerializeStruct = Self;
    structs_only!((), F::Error);

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, F::Error> {
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::{Extended, MoreFields};

    #[derive(serde::Serialize)]
    struct Post {
        title: &'static str,
        words: u32,
    }

    #[derive(serde::Serialize)]
    struct Card {
        #[serde(skip_serializing_if = "Option::is_none")]
        card: Option<&'static str>,
    }

    impl MoreFields for Card {
        const COUNT: usize = 1;
    }

    #[derive(serde::Serialize)]
    struct Page {
        content: &'static str,
        share: [&'static str; 2],
    }

    impl MoreFields for Page {
        const COUNT: usize = 2;
    }

    const POST: Post = Post {
        title: "Été",
        words: 3,
    };

    #[test]
    fn a_struct_gets_the_other_fields_last_and_skipped_ones_stay_out() {
        let with = Extended {
            inner: &POST,
            more: &Card {
                card: Some("<article>"),
            },
        };
        assert_eq!(
            serde_json::to_string(&with).unwrap(),
            r#"{"title":"Été","words":3,"card":"<article>"}"#
        );
        let without = Extended {
            inner: &POST,
            more: &Card { card: None },
        };
        assert_eq!(
            serde_json::to_string(&without).unwrap(),
            r#"{"title":"Été","words":3}"#
        );
        let value = tera::Value::from_serializable(&with);
        assert_eq!(
            value.as_map().map(|m| m.len()),
            Some(3),
            "Tera sees one struct of three fields"
        );
    }

    #[test]
    fn an_extended_struct_extends_again() {
        let page = Extended {
            inner: &POST,
            more: &Page {
                content: "<p>x</p>",
                share: ["a", "b"],
            },
        };
        let twice = Extended {
            inner: &page,
            more: &Card { card: Some("c") },
        };
        assert_eq!(
            serde_json::to_string(&twice).unwrap(),
            r#"{"title":"Été","words":3,"content":"<p>x</p>","share":["a","b"],"card":"c"}"#
        );
    }

    #[test]
    fn anything_but_a_struct_is_refused() {
        let number = Extended {
            inner: &7u32,
            more: &Card { card: Some("x") },
        };
        let error = serde_json::to_string(&number).unwrap_err();
        assert!(error.to_string().contains("only a struct"), "{error}");
        let list = Extended {
            inner: &POST,
            more: &["x"],
        };
        assert!(serde_json::to_string(&list).is_err());
    }

    impl MoreFields for [&'static str; 1] {
        const COUNT: usize = 1;
    }
}
