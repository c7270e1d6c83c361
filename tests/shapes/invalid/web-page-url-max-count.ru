# A web resource with two URLs.
# expect: Violation shapes:WebPageShape-url sh:MaxCountConstraintComponent id:web-resource/kita-living
PREFIX schema: <https://schema.org/>
INSERT DATA {
    <https://w3id.org/seirei/id/web-resource/kita-living> schema:url <https://www.kita.example.org/life/> .
}
