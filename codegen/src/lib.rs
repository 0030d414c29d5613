//! OData CSDL code generator.
