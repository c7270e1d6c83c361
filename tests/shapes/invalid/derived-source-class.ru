# A resource derived from something that is neither a described source document nor a web page.
# expect: Violation shapes:DerivedShape-source sh:OrConstraintComponent id:prefecture/minami
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT DATA {
    <https://w3id.org/seirei/id/prefecture/minami> prov:wasDerivedFrom <urn:example:undescribed> .
}
