//! The frame stack: one frame per open element that builds a node. A start tag pushes the frame
//! its parent admits (or skips the subtree), an end tag finishes the frame and hands its node to
//! the parent.

use quick_xml::events::BytesStart;

use super::{CsdlReader, Fatal, local_name};
use crate::syntax::{
    ActionImport, Annotation, AnnotationBlock, ConstantKind, EntityContainer, EntitySet,
    EnumMember, EnumType, Expr, FunctionImport, Key, NavigationProperty, OnDelete, Operation,
    OperationKind, Parameter, PathKind, Property, PropertyValue, RawElement, Record, Reference,
    ReferentialConstraint, ReturnType, Schema, Singleton, StructuredType, Term, TypeDefinition,
};

/// An element open in the document (every element, also skipped ones).
pub(super) struct Open<'a> {
    pub(super) name: &'a str,
    pub(super) off: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RootState {
    None,
    Open,
    Closed,
}

/// A node under construction.
pub(super) enum Frame {
    Edmx,
    DataServices,
    Reference(Reference),
    Schema(Box<Schema>),
    /// `true` for an entity type.
    Structured(bool, StructuredType),
    Key(Key),
    Property(Property),
    NavProp(NavigationProperty),
    RefConstraint(ReferentialConstraint),
    OnDelete(OnDelete),
    EnumType(EnumType),
    Member(EnumMember),
    TypeDefinition(TypeDefinition),
    Term(Box<Term>),
    Operation(Box<Operation>),
    Parameter(Parameter),
    ReturnType(ReturnType),
    Container(Box<EntityContainer>),
    EntitySet(EntitySet),
    Singleton(Singleton),
    ActionImport(ActionImport),
    FunctionImport(FunctionImport),
    AnnotationBlock(AnnotationBlock),
    Annotation(Annotation),
    Record(Box<Record>),
    PropertyValue(PropertyValue),
    Collection(Vec<Expr>),
    Constant(ConstantKind, String),
    Path(PathKind, String),
    Null,
    Dynamic(RawElement),
    /// An ignored subtree; holds the `open` depth of its root element.
    Skip(usize),
}

impl Frame {
    pub(super) fn annotations_mut(&mut self) -> Option<&mut Vec<Annotation>> {
        Some(match self {
            Frame::Reference(x) => &mut x.annotations,
            Frame::Schema(x) => &mut x.annotations,
            Frame::Structured(_, x) => &mut x.annotations,
            Frame::Property(x) => &mut x.annotations,
            Frame::NavProp(x) => &mut x.annotations,
            Frame::RefConstraint(x) => &mut x.annotations,
            Frame::OnDelete(x) => &mut x.annotations,
            Frame::EnumType(x) => &mut x.annotations,
            Frame::Member(x) => &mut x.annotations,
            Frame::TypeDefinition(x) => &mut x.annotations,
            Frame::Term(x) => &mut x.annotations,
            Frame::Operation(x) => &mut x.annotations,
            Frame::Parameter(x) => &mut x.annotations,
            Frame::ReturnType(x) => &mut x.annotations,
            Frame::Container(x) => &mut x.annotations,
            Frame::EntitySet(x) => &mut x.annotations,
            Frame::Singleton(x) => &mut x.annotations,
            Frame::ActionImport(x) => &mut x.annotations,
            Frame::FunctionImport(x) => &mut x.annotations,
            Frame::AnnotationBlock(x) => &mut x.annotations,
            Frame::Annotation(x) => &mut x.annotations,
            Frame::Record(x) => &mut x.annotations,
            Frame::PropertyValue(x) => &mut x.annotations,
            _ => return None,
        })
    }

    /// Whether expression elements are read as children.
    pub(super) fn takes_expressions(&self) -> bool {
        matches!(
            self,
            Frame::Annotation(_) | Frame::PropertyValue(_) | Frame::Collection(_)
        )
    }
}

/// Lengths of the scratch stacks: where a frame's children start.
#[derive(Debug, Clone, Copy)]
pub(super) struct Marks {
    anns: usize,
    props: usize,
    navs: usize,
    members: usize,
    params: usize,
}

/// The tail of a scratch stack from `start`, as an exactly-sized vector.
pub(super) fn take_from<T>(stack: &mut Vec<T>, start: usize) -> Vec<T> {
    if stack.len() > start {
        stack.split_off(start)
    } else {
        Vec::new()
    }
}

pub(super) fn set_value(slot: &mut Option<Expr>, expr: Expr) {
    if slot.is_none() {
        *slot = Some(expr);
    }
}

pub(super) fn trimmed(text: String) -> String {
    let t = text.trim();
    if t.len() == text.len() {
        text
    } else {
        t.to_string()
    }
}

impl<'a> CsdlReader<'a> {
    pub(super) fn push_open(&mut self, name: &'a str, off: usize) {
        self.open.push(Open { name, off });
    }

    pub(super) fn start(
        &mut self,
        e: &BytesStart<'_>,
        off: usize,
        empty: bool,
    ) -> Result<(), Fatal> {
        let name_len = e.name().0.len();
        let qname: &'a str = match self.text.get(off + 1..off + 1 + name_len) {
            Some(q) if q == e.name().0 => q,
            _ => return Err(self.fatal(off, "internal error: lost track of the input position")),
        };
        let local = local_name(qname);
        if local == "Annotation" {
            self.doc.annotation_count += 1;
        }
        if self.open.len() >= self.max_depth {
            return Err(self.fatal(
                off,
                format!(
                    "`<{qname}>` is nested too deeply: elements may be nested at most {} levels deep",
                    self.max_depth
                ),
            ));
        }
        if let Some(Frame::Skip(_)) = self.frames.last() {
            if !empty {
                self.push_open(qname, off);
            }
            return Ok(());
        }
        let frame = match self.root {
            RootState::None => Some(self.root_frame(e, qname, local, off)?),
            RootState::Open => self.child_frame(e, qname, local, off, empty),
            RootState::Closed => {
                return Err(self.fatal(
                    off,
                    format!("unexpected element `<{qname}>` after the end of the root element"),
                ));
            }
        };
        if self.root == RootState::None {
            self.root = RootState::Open;
        }
        match frame {
            Some(frame) => {
                if empty {
                    let mark = self.mark();
                    self.finish(frame, mark);
                } else {
                    self.push_open(qname, off);
                    self.marks.push(self.mark());
                    self.frames.push(frame);
                }
            }
            None => {
                if !empty {
                    self.push_open(qname, off);
                    self.marks.push(self.mark());
                    self.frames.push(Frame::Skip(self.open.len()));
                }
            }
        }
        if empty && self.open.is_empty() {
            self.root = RootState::Closed;
        }
        Ok(())
    }

    pub(super) fn end(&mut self, name: &str, off: usize) -> Result<(), Fatal> {
        let Some(open) = self.open.pop() else {
            return Err(self.fatal(
                off,
                format!("closing tag `</{name}>` does not match any open element"),
            ));
        };
        if open.name != name {
            let opened = self.pos_at(open.off);
            return Err(self.fatal(
                off,
                format!(
                    "closing tag `</{name}>` does not match `<{}>` opened at {opened}",
                    open.name
                ),
            ));
        }
        match self.frames.last() {
            // Inside a skipped subtree: only its own root ends it.
            Some(Frame::Skip(depth)) if *depth != self.open.len() + 1 => {}
            Some(Frame::Skip(_)) => {
                self.frames.pop();
                self.marks.pop();
            }
            Some(_) => {
                if let Some(frame) = self.frames.pop() {
                    let mark = self.marks.pop().unwrap_or_else(|| self.mark());
                    self.finish(frame, mark);
                }
            }
            None => {}
        }
        if self.open.is_empty() {
            self.root = RootState::Closed;
        }
        Ok(())
    }

    /// The frame for a child element; `None` skips the element's content (unknown elements,
    /// and leaf elements that were already delivered to their parent).
    pub(super) fn child_frame(
        &mut self,
        e: &BytesStart<'_>,
        qname: &str,
        local: &str,
        off: usize,
        empty: bool,
    ) -> Option<Frame> {
        let parent = self.frames.last()?;
        if let Frame::Dynamic(_) = parent {
            return Some(Frame::Dynamic(self.raw(e, local, off)));
        }
        if local == "Annotation" && self.frames.last_mut()?.annotations_mut().is_some() {
            let a = self.annotation(e, qname, off);
            if empty {
                // Straight to the parent: an empty element has no children to wait for.
                self.anns.push(a);
                return None;
            }
            return Some(Frame::Annotation(a));
        }
        let parent = self.frames.last()?;
        if parent.takes_expressions() {
            return self.expression(e, local, off);
        }
        Some(match (parent, local) {
            (Frame::Edmx, "Reference") => Frame::Reference(self.reference(e, qname, off)),
            (Frame::Edmx, "DataServices") => Frame::DataServices,
            (Frame::Reference(_), "Include") => {
                let include = self.include(e, qname, off);
                if let Some(Frame::Reference(r)) = self.frames.last_mut() {
                    r.includes.push(include);
                }
                return None;
            }
            (Frame::Reference(_), "IncludeAnnotations") => {
                let include = self.include_annotations(e, qname, off);
                if let Some(Frame::Reference(r)) = self.frames.last_mut() {
                    r.include_annotations.push(include);
                }
                return None;
            }
            (Frame::DataServices, "Schema") => {
                Frame::Schema(Box::new(self.schema(e, qname, off).ok()?))
            }
            (Frame::Schema(_), "EntityType") => {
                Frame::Structured(true, self.structured(e, qname, off))
            }
            (Frame::Schema(_), "ComplexType") => {
                Frame::Structured(false, self.structured(e, qname, off))
            }
            (Frame::Schema(_), "EnumType") => Frame::EnumType(self.enum_type(e, qname, off)),
            (Frame::Schema(_), "TypeDefinition") => {
                Frame::TypeDefinition(self.type_definition(e, qname, off))
            }
            (Frame::Schema(_), "Term") => Frame::Term(Box::new(self.term(e, qname, off))),
            (Frame::Schema(_), "Action") => Frame::Operation(Box::new(self.operation(
                e,
                qname,
                off,
                OperationKind::Action,
            ))),
            (Frame::Schema(_), "Function") => Frame::Operation(Box::new(self.operation(
                e,
                qname,
                off,
                OperationKind::Function,
            ))),
            (Frame::Schema(_), "EntityContainer") => {
                Frame::Container(Box::new(self.container(e, qname, off)))
            }
            (Frame::Schema(_), "Annotations") => {
                Frame::AnnotationBlock(self.annotation_block(e, qname, off))
            }
            (Frame::Structured(_, t), "Key") => {
                let first = t.key.as_ref().map(|k| k.pos);
                let name = t.name.clone();
                let pos = self.pos_at(off);
                if let Some(first) = first {
                    self.error_at(
                        pos,
                        format!(
                            "`{name}` has a second `Key` element: a type declares one key (the first is at {first})"
                        ),
                    );
                }
                Frame::Key(Key {
                    property_refs: Vec::new(),
                    pos,
                })
            }
            (Frame::Structured(..), "Property") => {
                let p = self.property(e, qname, off);
                if empty {
                    self.props.push(p);
                    return None;
                }
                Frame::Property(p)
            }
            (Frame::Structured(..), "NavigationProperty") => {
                Frame::NavProp(self.navigation_property(e, qname, off)?)
            }
            (Frame::Key(_), "PropertyRef") => {
                let property_ref = self.property_ref(e, qname, off);
                if let Some(Frame::Key(k)) = self.frames.last_mut() {
                    k.property_refs.push(property_ref);
                }
                return None;
            }
            (Frame::NavProp(_), "ReferentialConstraint") => {
                Frame::RefConstraint(self.referential_constraint(e, qname, off))
            }
            (Frame::NavProp(_), "OnDelete") => Frame::OnDelete(self.on_delete(e, qname, off)),
            (Frame::EnumType(_), "Member") => {
                let m = self.member(e, qname, off);
                if empty {
                    self.members.push(m);
                    return None;
                }
                Frame::Member(m)
            }
            (Frame::Operation(_), "Parameter") => {
                let p = self.parameter(e, qname, off);
                if empty {
                    self.params.push(p);
                    return None;
                }
                Frame::Parameter(p)
            }
            (Frame::Operation(_), "ReturnType") => {
                Frame::ReturnType(self.return_type(e, qname, off))
            }
            (Frame::Container(_), "EntitySet") => Frame::EntitySet(self.entity_set(e, qname, off)),
            (Frame::Container(_), "Singleton") => Frame::Singleton(self.singleton(e, qname, off)),
            (Frame::Container(_), "ActionImport") => {
                Frame::ActionImport(self.action_import(e, qname, off))
            }
            (Frame::Container(_), "FunctionImport") => {
                Frame::FunctionImport(self.function_import(e, qname, off, empty)?)
            }
            (Frame::EntitySet(_) | Frame::Singleton(_), "NavigationPropertyBinding") => {
                let binding = self.binding(e, qname, off);
                match self.frames.last_mut() {
                    Some(Frame::EntitySet(s)) => s.navigation_property_bindings.push(binding),
                    Some(Frame::Singleton(s)) => s.navigation_property_bindings.push(binding),
                    _ => {}
                }
                return None;
            }
            (Frame::Record(_), "PropertyValue") => {
                Frame::PropertyValue(self.property_value(e, qname, off))
            }
            _ => return None,
        })
    }

    /// The scratch stacks' lengths now: where the children of a frame pushed now will start.
    pub(super) fn mark(&self) -> Marks {
        Marks {
            anns: self.anns.len(),
            props: self.props.len(),
            navs: self.navs.len(),
            members: self.members.len(),
            params: self.params.len(),
        }
    }

    /// Delivers a finished node to its parent frame (or to the document).
    pub(super) fn finish(&mut self, mut frame: Frame, mark: Marks) {
        // Collect the frame's children from the scratch stacks.
        if let Some(list) = frame.annotations_mut() {
            *list = take_from(&mut self.anns, mark.anns);
        }
        match &mut frame {
            Frame::Structured(entity, t) => {
                t.properties = take_from(&mut self.props, mark.props);
                t.navigation_properties = take_from(&mut self.navs, mark.navs);
                self.check_member_names(*entity, t);
            }
            Frame::EnumType(t) => t.members = take_from(&mut self.members, mark.members),
            Frame::Operation(o) => o.parameters = take_from(&mut self.params, mark.params),
            _ => {}
        }
        let expr = match frame {
            Frame::Edmx | Frame::DataServices | Frame::Skip(_) => return,
            Frame::Reference(r) => {
                self.doc.references.push(r);
                return;
            }
            Frame::Schema(s) => {
                self.doc.schemas.push(*s);
                return;
            }
            Frame::Annotation(a) => {
                // Only created under frames that take annotations.
                self.anns.push(a);
                return;
            }
            Frame::Record(r) => Expr::Record(r),
            Frame::Collection(items) => Expr::Collection(items),
            Frame::Constant(kind, text) => {
                let text = if kind == ConstantKind::String {
                    text
                } else {
                    trimmed(text)
                };
                Expr::Constant(kind, text)
            }
            Frame::Path(kind, text) => Expr::Path(kind, trimmed(text)),
            Frame::Null => Expr::Null,
            Frame::Dynamic(mut raw) => {
                if raw.text.bytes().all(|b| b.is_ascii_whitespace()) {
                    raw.text.clear();
                }
                if let Some(Frame::Dynamic(parent)) = self.frames.last_mut() {
                    parent.children.push(raw);
                    return;
                }
                Expr::Dynamic(Box::new(raw))
            }
            other => {
                self.finish_node(other);
                return;
            }
        };
        match self.frames.last_mut() {
            Some(Frame::Annotation(a)) => set_value(&mut a.value, expr),
            Some(Frame::PropertyValue(pv)) => set_value(&mut pv.value, expr),
            Some(Frame::Collection(items)) => items.push(expr),
            _ => {}
        }
    }

    pub(super) fn finish_node(&mut self, frame: Frame) {
        let Some(parent) = self.frames.last_mut() else {
            return;
        };
        match (frame, parent) {
            (Frame::Structured(true, t), Frame::Schema(s)) => s.entity_types.push(t),
            (Frame::Structured(false, t), Frame::Schema(s)) => s.complex_types.push(t),
            (Frame::EnumType(t), Frame::Schema(s)) => s.enum_types.push(t),
            (Frame::TypeDefinition(t), Frame::Schema(s)) => s.type_definitions.push(t),
            (Frame::Term(t), Frame::Schema(s)) => s.terms.push(*t),
            (Frame::Operation(o), Frame::Schema(s)) => match o.kind {
                OperationKind::Action => s.actions.push(*o),
                OperationKind::Function => s.functions.push(*o),
            },
            (Frame::Container(c), Frame::Schema(s)) => s.entity_containers.push(*c),
            (Frame::AnnotationBlock(b), Frame::Schema(s)) => s.annotation_blocks.push(b),
            (Frame::Key(k), Frame::Structured(_, t)) => t.key = Some(k),
            (Frame::Property(p), Frame::Structured(..)) => self.props.push(p),
            (Frame::NavProp(n), Frame::Structured(..)) => self.navs.push(n),
            (Frame::RefConstraint(r), Frame::NavProp(n)) => n.referential_constraints.push(r),
            (Frame::OnDelete(d), Frame::NavProp(n)) => n.on_delete = Some(d),
            (Frame::Member(m), Frame::EnumType(_)) => self.members.push(m),
            (Frame::Parameter(p), Frame::Operation(_)) => self.params.push(p),
            (Frame::ReturnType(r), Frame::Operation(o)) => o.return_type = Some(r),
            (Frame::EntitySet(x), Frame::Container(c)) => c.entity_sets.push(x),
            (Frame::Singleton(x), Frame::Container(c)) => c.singletons.push(x),
            (Frame::ActionImport(x), Frame::Container(c)) => c.action_imports.push(x),
            (Frame::FunctionImport(x), Frame::Container(c)) => c.function_imports.push(x),
            (Frame::PropertyValue(pv), Frame::Record(r)) => r.property_values.push(pv),
            _ => {}
        }
    }
}
