# A web resource with two English titles.
# expect: Violation shapes:WebPageShape-title sh:UniqueLangConstraintComponent id:web-resource/kita-living
PREFIX dcterms: <http://purl.org/dc/terms/>
INSERT DATA {
    <https://w3id.org/seirei/id/web-resource/kita-living> dcterms:title "Information for residents"@en .
}
