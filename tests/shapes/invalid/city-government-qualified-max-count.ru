# A city governed by two city governments.
# expect: Violation shapes:CityShape-government sh:QualifiedMaxCountConstraintComponent id:city/kita
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX cv: <http://data.europa.eu/m8g/>
INSERT DATA {
    <https://w3id.org/seirei/id/government/kita2> a cv:PublicOrganisation ;
        <https://schema.org/url> <https://www.city.kita2.example.org/> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> <https://www.city.kita2.example.org/> ;
        <https://w3id.org/seirei/ontology#sourceCitation> "https://www.city.kita2.example.org/" ;
        skos:prefLabel "Second Kita City government"@en, "第二北市"@ja ;
        dcterms:spatial <https://w3id.org/seirei/id/city/kita> .
}
