# A resource derived from something that is not a prov:Entity.
# expect: Violation shapes:DerivedShape-source sh:ClassConstraintComponent id:prefecture/minami
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT DATA {
    <https://w3id.org/seirei/id/prefecture/minami> prov:wasDerivedFrom <https://example.org/undescribed> .
}
